using System.Net;
using OrderX.Testing;

namespace OrderX.Notifications.Tests;

/// <summary>Readiness means "send me traffic": a service whose broker is away still serves its API (its outbox keeps the events).</summary>
public sealed class ReadinessTests : IAsyncLifetime
{
    private readonly string _data = Directory.CreateTempSubdirectory("orderx-readiness-").FullName;
    private readonly int _port = FreePorts.Take(1)[0];
    private Microsoft.AspNetCore.Builder.WebApplication? _service;

    public async Task InitializeAsync()
    {
        // RabbitMQ on a port where nothing listens: the broker is down for the whole test.
        _service = NotificationServiceHost.Build([
            $"--Ports:notification={_port}", "--Http2Ports:notification=0", $"--Data:Path={_data}",
            "--Messaging:Transport=rabbitmq", "--RabbitMQ:Host=127.0.0.1", $"--RabbitMQ:Port={FreePorts.Take(1)[0]}",
            "--Logging:LogLevel:Default=Warning",
        ]);
        await _service.StartAsync();
    }

    [Fact]
    public async Task A_service_without_its_broker_is_ready_and_its_health_report_says_what_is_missing()
    {
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_port}") };

        using var ready = await client.GetAsync("/health/ready");
        using var report = await client.GetAsync("/health");
        var detail = await report.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, report.StatusCode);
        Assert.Contains("\"transport\"", detail);
        Assert.Contains("Not connected to the rabbitmq broker", detail);
        Assert.Contains("\"database\"", detail);
    }

    public async Task DisposeAsync()
    {
        if (_service is not null)
            await _service.DisposeAsync();
        Directory.Delete(_data, recursive: true);
    }
}
