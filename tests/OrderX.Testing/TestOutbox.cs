using Microsoft.Extensions.Options;
using OrderX.Messaging;
using OrderX.Messaging.Outbox;

namespace OrderX.Testing;

public static class TestOutbox
{
    public static OutboxWriter Writer(string service = "test") =>
        new(Options.Create(new MessagingOptions { ServiceName = service }), TimeProvider.System);
}
