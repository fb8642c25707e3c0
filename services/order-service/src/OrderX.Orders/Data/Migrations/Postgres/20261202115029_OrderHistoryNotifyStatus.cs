using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OrderX.Orders.Data.Migrations.Postgres
{
    /// <summary>
    /// The history notification carries the order's status after the step (<c>id:status</c>), so a watcher waiting
    /// for the order to settle skips the steps that leave it pending instead of reading the order again
    /// (<see cref="Tracking.OrderHistoryListener"/> still accepts the bare id of <c>OrderHistoryNotify</c>).
    /// </summary>
    public partial class OrderHistoryNotifyStatus : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE OR REPLACE FUNCTION orderx_notify_order_history() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    PERFORM pg_notify('orderx_order_history', NEW."OrderId"::text || ':' || NEW."Status");
                    RETURN NULL;
                END $$;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE OR REPLACE FUNCTION orderx_notify_order_history() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    PERFORM pg_notify('orderx_order_history', NEW."OrderId"::text);
                    RETURN NULL;
                END $$;
                """);
        }
    }
}
