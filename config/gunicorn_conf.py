"""gunicorn's settings for `make serve`, and for the benchmarks that measure it (bench/load.py).
The command line adds the address, the number of workers and the access log."""

timeout = 60
# Each worker is replaced after 2,000-2,500 requests (a guard against slow leaks). The app is
# imported once, in the master (config.wsgi opens no database connection there), so a replacement
# is a fork that serves at once. Without it, workers that reach the limit together each imported
# Django again and the site stalled for 5-7 seconds under load (bench/load.py).
preload_app = True
max_requests = 2000
max_requests_jitter = 500
