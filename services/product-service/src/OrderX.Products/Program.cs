using OrderX.ServiceDefaults;

namespace OrderX.Products;

public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (HealthProbe.IsRequested(args))
            return await HealthProbe.RunAsync(OrderXService.Product);
        await ProductServiceHost.Build(args).RunAsync();
        return 0;
    }
}
