using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OrderX.Messaging.Consumers;
using OrderX.Messaging.Inbox;
using OrderX.Messaging.InMemory;
using OrderX.Messaging.Transport;

namespace OrderX.Messaging.Tests;

public sealed class InboxRetentionTests
{
    [Fact]
    public async Task Records_past_the_retention_are_swept_and_recent_ones_kept()
    {
        await using var host = await TestServiceHost.StartAsync(services =>
        {
            services.AddSingleton<IMessageTransport>(new InMemoryTransport(new InMemoryBroker()));
            services.AddOutboxMessaging<TestDbContext>("retention-test");
            services.Configure<MessagingOptions>(o => o.InboxRetention = TimeSpan.FromDays(7));
        });
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<TestDbContext>();
            db.Set<InboxMessage>().AddRange(
                new InboxMessage { MessageId = Guid.NewGuid(), Consumer = "c", Type = "t", ProcessedAt = DateTime.UtcNow.AddDays(-8) },
                new InboxMessage { MessageId = Guid.NewGuid(), Consumer = "c", Type = "t", ProcessedAt = DateTime.UtcNow.AddDays(-1) });
            await db.SaveChangesAsync();
        }

        // The host's own sweep may run first (it sweeps at start-up), so the outcome is checked, not the count.
        await host.Services.GetRequiredService<InboxRetention<TestDbContext>>().SweepAsync(default);

        await using var check = host.Services.CreateAsyncScope();
        var kept = await check.ServiceProvider.GetRequiredService<TestDbContext>().Set<InboxMessage>().SingleAsync();
        Assert.True(kept.ProcessedAt > DateTime.UtcNow.AddDays(-2));
    }
}
