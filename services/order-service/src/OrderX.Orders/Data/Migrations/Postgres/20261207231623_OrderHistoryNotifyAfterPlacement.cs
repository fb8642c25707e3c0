using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OrderX.Orders.Data.Migrations.Postgres
{
    /// <summary>
    /// An order's first step (<c>order.placed</c>) commits with the order itself, so nobody can be watching the order
    /// yet (a long poll or a stream of an order that does not exist answers 404 at once): its notification woke no
    /// one. It was not free: a transaction that notifies takes PostgreSQL's one notification lock for the whole
    /// cluster from before its commit until the commit is flushed, and every POST's commit queued for it behind the
    /// others (1.3–2.1 backends waiting on it on average under the benchmark's closed loop, none without it).
    /// </summary>
    public partial class OrderHistoryNotifyAfterPlacement : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE OR REPLACE TRIGGER order_history_notify AFTER INSERT ON order_history FOR EACH ROW
                WHEN (NEW."Cause" <> 'order.placed')
                EXECUTE FUNCTION orderx_notify_order_history();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE OR REPLACE TRIGGER order_history_notify AFTER INSERT ON order_history FOR EACH ROW
                EXECUTE FUNCTION orderx_notify_order_history();
                """);
        }
    }
}
