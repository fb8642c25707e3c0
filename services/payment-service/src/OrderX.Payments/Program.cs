using OrderX.ServiceDefaults;

namespace OrderX.Payments;

public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (HealthProbe.IsRequested(args))
            return await HealthProbe.RunAsync(OrderXService.Payment);
        await PaymentServiceHost.Build(args).RunAsync();
        return 0;
    }
}
