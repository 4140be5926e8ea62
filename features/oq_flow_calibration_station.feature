# OQ-001: operational qualification of FTS-2 and its software FTS-SW 3.2 (21 CFR 820.75, Part 11 audit trail).
@OQ-001
Feature: Operation of the flow calibration station FTS-2
  As the process owner
  I need evidence that FTS-2 measures flow and writes flow constants correctly over its operating range
  So that it can be used to calibrate pumping mechanisms in production

  Background:
    Given the flow calibration station "EQ-006" running software "EQ-007"
    And the reference pump "REF-PM-01" with a known flow constant
    And the reference balance "EQ-001"

  Scenario Outline: Gravimetric measurement across the operating range
    When the station measures the reference pump at <rate> mL/h
    Then the measured flow is within 1 % of the gravimetric reference

    Examples:
      | rate |
      | 1    |
      | 25   |
      | 100  |
      | 999  |

  Scenario: Out-of-range flow constant is rejected
    Given a mechanism whose computed flow constant is 1.14
    When the station tries to write the constant
    Then the write is refused with message "Flow constant outside 0.90 - 1.10"
    And the mechanism keeps its previous constant

  @audit-trail
  Scenario: Every constant write is in the audit trail
    Given operator "USR-004" is logged in
    When the station writes a flow constant of 1.012 to mechanism "PM-0011-901"
    Then the audit trail holds an entry with the user, the date and time, the old value and the new value
    And the entry cannot be edited or deleted by the operator

  Scenario: Recovery from power interruption during a write
    Given a constant write is in progress
    When mains power is removed and restored
    Then the mechanism holds either its old or its new constant
    And the station reports the constant it reads back
