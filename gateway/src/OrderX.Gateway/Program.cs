using OrderX.ServiceDefaults;

namespace OrderX.Gateway;

public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (HealthProbe.IsRequested(args))
            return await HealthProbe.RunAsync(OrderXService.Gateway);
        await GatewayHost.Build(args).RunAsync();
        return 0;
    }
}
