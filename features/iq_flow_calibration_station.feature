# IQ-001: installation qualification of the automated flow calibration station FTS-2 (CC-2026-001).
# Each scenario is one protocol step; the executed run and its evidence are attached to IQ-001.
@IQ-001
Feature: Installation of the flow calibration station FTS-2
  As the process owner
  I need evidence that FTS-2 is installed as specified
  So that its operational qualification can start

  Background:
    Given the equipment record "EQ-006" for the flow calibration station
    And the installation checklist "IQ-001 appendix A"

  Scenario: Station components match the installation checklist
    When I compare each checklist item with the installed station
    Then every item is present with the listed part number and serial number
    And the station is labelled with asset number "FTS-2-0001"

  Scenario: Reference instruments are calibrated
    When I look up the calibration of "EQ-001" and "EQ-006"
    Then each calibration was performed on or before the execution date
    And each calibration is due after the execution date

  @software-version
  Scenario: Installed software is the released build
    Given the software record "EQ-007"
    When I read the version and the SHA-256 checksum of the installed FTS-SW package
    Then the version is "3.2.0"
    And the checksum matches the release record of FTS-SW 3.2.0

  Scenario: Utilities are within specification
    When I measure the mains voltage, the compressed air pressure and the network segment at the station
    Then the mains voltage is between 207 V and 253 V
    And the compressed air pressure is between 5.5 bar and 6.5 bar
    And the station is connected to the network segment "MES-VLAN"
