using OrderX.ServiceDefaults;

namespace OrderX.AllInOne;

public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        // The all-in-one is ready when its gateway is: that readiness covers every service behind it.
        if (HealthProbe.IsRequested(args))
            return await HealthProbe.RunAsync(OrderXService.Gateway);
        await AllInOneHost.RunAsync(args);
        return 0;
    }
}
