"""gunicorn settings for Porchlight's web process (docs/deploy.md): `gunicorn porchlight.wsgi`.

Every value can be changed without editing this file: WEB_CONCURRENCY, GUNICORN_THREADS, GUNICORN_TIMEOUT,
PORCHLIGHT_BIND, FORWARDED_ALLOW_IPS (read by gunicorn itself), or any flag in GUNICORN_CMD_ARGS.
"""

import os

from porchlight.environment import env_bool, env_int

# Worker count rule: 2 × CPU cores + 1 processes, each with 4 threads (gthread). Pages wait on the database
# more than they compute, so threads keep a process busy while a query runs; processes use every core.
# os.cpu_count() is the host's count, not a container's CPU limit: set WEB_CONCURRENCY when they differ, and
# keep (workers × threads) within what PostgreSQL accepts (max_connections, default 100) with the worker's.
_cores = os.cpu_count() or 1
workers = env_int("WEB_CONCURRENCY", default=2 * _cores + 1, minimum=1)
worker_class = "gthread"
threads = env_int("GUNICORN_THREADS", default=4, minimum=1)

bind = os.environ.get("PORCHLIGHT_BIND", "0.0.0.0:8000")
# A request may take this long (a PDF report, an HSDS export) before its worker is restarted.
timeout = env_int("GUNICORN_TIMEOUT", default=120, minimum=10)
graceful_timeout = 30
keepalive = 5
# Recycle a process now and then so that a slow leak can never exhaust memory; the jitter avoids restarting
# every worker at once.
max_requests = 1000
max_requests_jitter = 100
# The workers' heartbeat files in memory: on a container's overlay disk a slow write can get a worker killed.
_shm = "/dev/shm"  # noqa: S108 - gunicorn's documented choice; files only gunicorn's own user opens
worker_tmp_dir = _shm if os.path.isdir(_shm) else None

# Logs to stdout, where the container runtime or journald keeps them: one JSON object per line (the same shape
# as the application's, porchlight/ui/logs.py) unless DEBUG is on or LOG_FORMAT=plain.
accesslog = "-"
errorlog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms'
_debug = env_bool("DEBUG", default=True)
if os.environ.get("LOG_FORMAT", "plain" if _debug else "json").strip() == "json":
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "porchlight.ui.logs.JsonFormatter"}},
        "handlers": {
            "stdout": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout", "formatter": "json"}
        },
        "loggers": {
            "gunicorn.error": {"handlers": ["stdout"], "level": "INFO", "propagate": False},
            "gunicorn.access": {"handlers": ["stdout"], "level": "INFO", "propagate": False},
        },
        "root": {"handlers": ["stdout"], "level": "INFO"},
    }

# gunicorn 24+ opens a control socket under the user's home, which systemd's read-only file system may refuse;
# Porchlight's processes are managed by systemctl or docker instead.
control_socket_disable = True
