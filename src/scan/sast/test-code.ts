/**
 * Test, example and fixture code: pickle round-trips of a test's own objects, `verify=False` against a local test
 * server and `InsecureSkipVerify` for httptest are what such code is for. Matched on the path alone (no parse).
 */
const TEST_DIR =
  /(^|\/)(tests?|__tests__|__mocks__|spec|specs|testdata|testing|test_?utils|fixtures?|examples?|samples?|demos?|e2e|cypress|benchmarks?)\//i;
const TEST_FILE =
  /(^|\/)(test_[^/]*\.py|[^/]*_test\.(py|go|rb)|conftest\.py|[^/]*\.(test|spec|e2e)\.[cm]?[jt]sx?|[^/]*_spec\.rb|[^/]*Tests?\.(java|php)|[^/]*Test[A-Z][^/]*\.java)$/;

export function isTestCode(file: string): boolean {
  return TEST_DIR.test(file) || TEST_FILE.test(file);
}
