using OrderX.ServiceDefaults;

namespace OrderX.Orders;

public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (HealthProbe.IsRequested(args))
            return await HealthProbe.RunAsync(OrderXService.Order);
        await OrderServiceHost.Build(args).RunAsync();
        return 0;
    }
}
