# IQ-001: installation qualification of the automated flow calibration station FTS-2 (CC-2026-001).
# Each scenario is one protocol step. The executor records what was found at the station in
# protocols/data/IQ-001-execution.xlsx; the scenarios check those records against the acceptance criteria.
@IQ-001
Feature: Installation of the flow calibration station FTS-2
  As the process owner
  I need evidence that FTS-2 is installed as specified
  So that its operational qualification can start

  Background:
    Given the record "EQ-006" exists
    And the record "EQ-007" exists

  Scenario: Station components match the installation checklist
    Given the measurement file "protocols/data/IQ-001-execution.xlsx" sheet "Checklist"
    Then there are 6 rows
    And every row has "present" equal to "yes"
    And every row has "serial_matches" equal to "yes"
    And every row has a value in "checked_by"
    When I select the rows where "item" is "A1"
    Then the value of "serial_number" is "FTS-2-0001"

  Scenario: Reference instruments are calibrated
    Then the equipment "EQ-001" is calibrated on the execution date
    And the equipment "EQ-006" is calibrated on the execution date

  @software-version
  Scenario: Installed software is the released build
    Given the measurement file "protocols/data/IQ-001-execution.xlsx" sheet "Software"
    When I select the rows where "package" is "FTS-SW"
    Then the value of "version" is "3.2.0"
    And every row has "sha256_matches_release" equal to "yes"
    And the field "serial" of record "EQ-007" is "FTS-SW 3.2.0"

  Scenario: Utilities are within specification
    Given the measurement file "protocols/data/IQ-001-execution.xlsx" sheet "Utilities"
    When I select the rows where "quantity" is "mains voltage"
    Then the value of "value" lies between 207 and 253
    When I select the rows where "quantity" is "compressed air pressure"
    Then the value of "value" lies between 5.5 and 6.5
    When I select the rows where "quantity" is "network segment"
    Then the value of "value" is "MES-VLAN"
