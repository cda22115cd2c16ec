"""gunicorn's settings for wuxiao, read from the working directory (or `-c gunicorn.conf.py`);
the command line still chooses the address, the workers and the timeouts (docs/deployment.md).

The app is loaded once in the master, warmed (wuxiao/lib/warmup.py: URLs, templates, form
widgets, WeasyPrint and its fonts) and then forked: a new worker serves its first request as
fast as its thousandth. Because the code lives in the master, a deploy restarts the service
(`systemctl restart wuxiao`); a HUP only replaces the workers with the same code.
"""

import os

# numpy (through openpyxl) starts one OpenBLAS thread per core on import: a web worker does no
# linear algebra, and a thread in the master does not survive the fork anyway.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

preload_app = True


def when_ready(server):
    from wuxiao.lib.warmup import warm

    warm()
