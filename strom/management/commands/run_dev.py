"""`make run`: the Django development server and one Celery worker with embedded beat,
side by side. Ctrl-C (or SIGTERM) stops both."""

import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run the development server and a Celery worker with embedded beat; Ctrl-C stops both."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args, addrport, **options):
        log_path = settings.VAR_DIR / "celery.log"
        log_path.parent.mkdir(parents=True, exist_ok=True)
        schedule = settings.CELERY_BEAT_SCHEDULE_FILENAME
        worker_cmd = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "strom",
            "worker",
            "--beat",
            "--loglevel=INFO",
            "--concurrency=1",
            f"--schedule={schedule}",
        ]
        server_cmd = [sys.executable, "manage.py", "runserver", addrport]
        # Own sessions: the terminal's Ctrl-C reaches only this process, which then stops
        # the children in order, so none is left behind.
        with open(log_path, "ab") as log:
            worker = subprocess.Popen(  # noqa: S603  (our own fixed command line)
                worker_cmd,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        server = subprocess.Popen(server_cmd, start_new_session=True)  # noqa: S603
        self.stdout.write(f"Celery worker with embedded beat: log in {log_path}")
        self.stdout.write(f"STROM: http://{addrport}/  (Ctrl-C stops both)")

        def stop(signum=None, frame=None):
            raise KeyboardInterrupt

        signal.signal(signal.SIGTERM, stop)
        try:
            while server.poll() is None and worker.poll() is None:
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass
        finally:
            for process in (server, worker):
                if process.poll() is None:
                    process.terminate()
            for process in (server, worker):
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    process.kill()
        if worker.returncode not in (0, -signal.SIGTERM, None):
            self.stderr.write(
                f"The Celery worker stopped with code {worker.returncode}; see {log_path}"
            )
        self.stdout.write("Stopped.")
