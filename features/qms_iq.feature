# IQ-002: installation qualification of QMS Generator (ISO 13485:2016 4.1.6; 21 CFR 820.70(i)).
# Executed by every `qms build`: the installation the dossier is generated with is the one qualified.
@IQ-002
Feature: Installation of QMS Generator
  As the quality system owner
  I need evidence that the generator and everything it runs with are installed as released
  So that the documents it generates can be relied on

  Scenario: The generator is installed at its released version on a supported Python
    Then the installed package "qms-generator" satisfies ">=0.1"
    And the Python version is at least "3.11"

  Scenario: Every dependency is installed as declared
    Then every dependency of the installed package "qms-generator" is installed and satisfies its requirement
    And the installed package "pytest-bdd" satisfies ">=8"

  Scenario: The reference tables are the reviewed ones
    Then the installed file "data/aiag_vda_action_priority.csv" of "generator" has SHA-256 "fb841f430edf9a82dbd15a6d15ba23c907b41bbe2a4bf13053d493a262234fdf"
    And the installed file "data/iso2859_1_table1_code_letters.csv" of "generator" has SHA-256 "f90c226592b81765b43bf87f39db2e051dac6c50f2642a6d5cf085a8f8c6d587"
    And the installed file "data/iso2859_1_table2a_normal.csv" of "generator" has SHA-256 "9c4ae271c48d2db670a2cfee7a1aa9a56896e33b713409d21a08f2e699f7a985"
    And the installed file "data/d2_constants.csv" of "generator" has SHA-256 "5508bb6faaf66a1cc016f24f8a438ff6f896f93a68301ac0768f4f480ccc97c3"
