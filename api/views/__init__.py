"""REST API views by area: auth, reference, programmes, returns, payments, review rounds, reports,
indicators, audit. Views parse and serialise; services decide and write; selectors read."""
