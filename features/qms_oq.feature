# OQ-002: operational qualification of QMS Generator: each rule fires on its bad input, and the
# calculations match published reference values. Executed by every `qms build`.
@OQ-002
Feature: Operation of QMS Generator
  As the quality system owner
  I need evidence that the generator finds what it must find and computes what standards publish
  So that a clean validation and the computed figures in the dossier can be trusted

  Scenario: Each rule fires on its bad-input fixture at the exact location
    Then every bad-input fixture in "tests/fixtures/bad" yields its expected finding

  Scenario: A link to a record that does not exist is reported at its line
    When I run qms with "--repo tests/fixtures/bad/dangling_link validate --no-cache"
    Then the exit code is 1
    And the output reports QMS122 at "records/requirements/REQ-0001.yaml:7"
    And the output contains "'derived_from' links to UN-001, which does not exist"

  Scenario: The worked example validates clean
    When I run qms with "validate --no-cache"
    Then the exit code is 0
    And the output contains "0 error(s), 0 warning(s)"

  Scenario: Success-run sample sizes match the published values
    Then the success-run sample sizes are:
      | confidence | reliability | failures | n   |
      | 0.90       | 0.90        | 0        | 22  |
      | 0.95       | 0.95        | 0        | 59  |
      | 0.95       | 0.99        | 0        | 299 |
      | 0.99       | 0.99        | 0        | 459 |
      | 0.95       | 0.95        | 1        | 93  |
      | 0.95       | 0.95        | 2        | 124 |

  Scenario: Process capability matches the published piston-ring example
    Given the measurement file "protocols/data/OQ-002-piston-rings.csv"
    Then there are 125 measurements
    And the capability of "diameter_mm" against the limits 73.95 and 74.05 with subgroups of 5 is:
      | index | expected |
      | Cp    | 1.703    |
      | Cpk   | 1.663    |

  Scenario Outline: ISO 2859-1 single sampling plans match the standard's tables
    When I run qms with "sampling <lot> --aql <aql>"
    Then the exit code is 0
    And the output contains "code letter <letter>"
    And the output contains "INSPECT  <n> items"
    And the output contains "(Ac <ac>)"
    And the output contains "(Re <re>)"

    Examples:
      | lot  | aql | letter | n  | ac | re |
      | 1000 | 1.0 | J      | 80 | 2  | 3  |
      | 500  | 2.5 | H      | 50 | 3  | 4  |
      | 50   | 6.5 | D      | 8  | 1  | 2  |
