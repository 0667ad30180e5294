"""Web pages for grants: programmes (list, detail, export), outcome returns (forms, uploads,
the verification queue, export) and finance (budgets, payments by results). Views parse the
request, call a selector or a service, and render."""
