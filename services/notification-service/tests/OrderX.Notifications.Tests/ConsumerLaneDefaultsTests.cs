using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OrderX.Messaging;
using OrderX.Notifications.Email;

namespace OrderX.Notifications.Tests;

/// <summary>One consumer lane by default, several while every e-mail waits on an SMTP server; a configured count wins.</summary>
public sealed class ConsumerLaneDefaultsTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("orderx-lanes-").FullName;

    [Fact]
    public async Task Without_an_SMTP_host_the_service_handles_one_batch_at_a_time()
    {
        Assert.Equal(1, await LanesAsync());
    }

    [Fact]
    public async Task With_an_SMTP_host_the_service_handles_batches_in_several_lanes()
    {
        Assert.Equal(EmailOptions.SmtpConsumerLanes, await LanesAsync("--Email:SmtpHost=smtp.example.test"));
        Assert.True(EmailOptions.SmtpConsumerLanes > 1);
    }

    [Fact]
    public async Task A_configured_lane_count_wins_over_the_SMTP_default()
    {
        Assert.Equal(2, await LanesAsync("--Email:SmtpHost=smtp.example.test", "--Messaging:ConsumerParallelBatches=2"));
    }

    private async Task<int> LanesAsync(params string[] args)
    {
        await using var service = NotificationServiceHost.Build([$"--Data:Path={_data}", "--Logging:LogLevel:Default=Warning", .. args]);
        return service.Services.GetRequiredService<IOptions<MessagingOptions>>().Value.ConsumerParallelBatches;
    }

    public void Dispose() => Directory.Delete(_data, recursive: true);
}
