# PQ-001: performance qualification of mechanism flow calibration on FTS-2.
# The measurements are in protocols/data/measurements.xlsx, sheet "Measurements".
@PQ-001
Feature: Performance of the mechanism flow calibration process
  As the process owner
  I need to show that calibration on FTS-2 consistently gives mechanisms that deliver the set rate
  So that the process output can be relied on without 100 % re-verification at a second setpoint

  Background:
    Given the measurement file "protocols/data/measurements.xlsx" sheet "Measurements"
    And the column "flow_rate_ml_h" holds the delivered rate at a setpoint of 100 mL/h

  Scenario: Every calibrated mechanism meets the PQ limits
    Then there are at least 59 measurements
    And every value of "flow_rate_ml_h" lies between 98.0 and 102.0

  Scenario: Process performance
    Then the Ppk of "flow_rate_ml_h" against the limits 95.0 and 105.0 is at least 1.33

  Scenario: Runs are consistent
    When I group the measurements by "run"
    Then there are 3 groups
    And the group means of "flow_rate_ml_h" differ by no more than 0.5
