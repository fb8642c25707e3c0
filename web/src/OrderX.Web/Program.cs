using OrderX.ServiceDefaults;

namespace OrderX.Web;

public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (HealthProbe.IsRequested(args))
            return await HealthProbe.RunAsync(OrderXService.Web);
        await WebHost.Build(args).RunAsync();
        return 0;
    }
}
