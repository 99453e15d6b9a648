from jiyue.lib.management import JiyueBaseCommand


class Command(JiyueBaseCommand):
    help = "处理待处理的发布事件 (dispatch pending publish events to their handlers)"

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=None, help="每批处理的事件数")
        parser.add_argument("--retry-failed", action="store_true", help="先把处理失败的事件重新置为待处理")

    def handle(self, *args, **options):
        from tenants.publishing.services.outbox import (
            DEFAULT_BATCH_SIZE,
            dispatch_pending_events,
            retry_failed_events,
        )

        if options["retry_failed"]:
            requeued = retry_failed_events(acting_user=None)
            self.stdout.write(f"重新置为待处理：{requeued}")
        report = dispatch_pending_events(batch_size=options["batch_size"] or DEFAULT_BATCH_SIZE)
        if not report.handlers:
            self.stdout.write("没有注册的事件处理程序，事件保持待处理")
            return
        self.stdout.write(f"已处理：{len(report.processed)}\t待重试：{len(report.retrying)}\t"
                          f"处理失败：{len(report.failed)}")
