"""A small OpenID Connect identity provider for the single sign-on tests: a Django project of its
own on django-oauth-toolkit's OIDC support, run in a subprocess on 127.0.0.1 (tests.idp.serve).

Its people come from a directory file (JSON) that the test writes: username, password, e-mail,
whether the e-mail is verified, and groups. The claims are read from the file at each request,
so a test can move someone between groups and see Yardstick follow at the next sign-in."""
