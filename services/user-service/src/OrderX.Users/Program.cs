using OrderX.ServiceDefaults;

namespace OrderX.Users;

public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (HealthProbe.IsRequested(args))
            return await HealthProbe.RunAsync(OrderXService.User);
        await UserServiceHost.Build(args).RunAsync();
        return 0;
    }
}
