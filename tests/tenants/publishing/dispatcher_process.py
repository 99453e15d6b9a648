"""A dispatcher in its own process, for the test that kills one mid-dispatch:

    python -m tests.tenants.publishing.dispatcher_process <event id> <ready file> [--die]

Its handler lets every other event through and, on the given one, writes its pid to the
ready file and blocks: the process then holds the event's row lock in an open
transaction until it is killed. With --die it kills itself there instead (an event
that crashes its dispatcher)."""
import os
import signal
import sys
import time
from pathlib import Path


def main():
    target, ready, die = int(sys.argv[1]), Path(sys.argv[2]), "--die" in sys.argv[3:]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiyue.settings.test")
    import django

    django.setup()
    from tenants.publishing.services.outbox import dispatch_pending_events, register_event_handler

    def block_on_target(event):
        if event.pk == target:
            ready.write_text(str(os.getpid()))
            if die:
                os.kill(os.getpid(), signal.SIGKILL)
            time.sleep(600)

    register_event_handler(block_on_target)
    dispatch_pending_events(batch_size=100_000)


if __name__ == "__main__":
    main()
