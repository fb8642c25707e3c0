using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OrderX.Orders.Data.Migrations.Postgres
{
    /// <summary>
    /// Every step added to an order's history notifies the channel <c>orderx_order_history</c> with the order's id
    /// (<see cref="Tracking.OrderHistoryListener"/>). A trigger, so the notification is sent by the same commit on
    /// every path that writes a step, and never for a step that rolled back.
    /// </summary>
    public partial class OrderHistoryNotify : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE FUNCTION orderx_notify_order_history() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    PERFORM pg_notify('orderx_order_history', NEW."OrderId"::text);
                    RETURN NULL;
                END $$;
                CREATE TRIGGER order_history_notify AFTER INSERT ON order_history
                    FOR EACH ROW EXECUTE FUNCTION orderx_notify_order_history();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER order_history_notify ON order_history;
                DROP FUNCTION orderx_notify_order_history();
                """);
        }
    }
}
