package phonenumber

// NormalizeSlow is libphonenumber without the mobile fast path, for tests.
var NormalizeSlow = parse
