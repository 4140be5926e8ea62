# PQ-002: performance qualification of QMS Generator on this repository: a full build passes and is
# reproducible, so the dossier can be verified by hash. Executed by every `qms build`.
@PQ-002
Feature: Performance of QMS Generator on the quality repository
  As the regulatory affairs lead
  I need the dossier generated from the same records to be the same, file for file
  So that a submitted dossier can be regenerated and verified at any later time

  Scenario: A full build passes and is byte-for-byte reproducible
    When I build the dossier twice
    Then both builds have no validation errors
    And the two dossiers are byte-identical
    And qms verify passes on the dossier
