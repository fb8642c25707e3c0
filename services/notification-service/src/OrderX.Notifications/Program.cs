using OrderX.ServiceDefaults;

namespace OrderX.Notifications;

public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (HealthProbe.IsRequested(args))
            return await HealthProbe.RunAsync(OrderXService.Notification);
        await NotificationServiceHost.Build(args).RunAsync();
        return 0;
    }
}
