namespace OrderX.Orders;

public static class Program
{
    public static Task Main(string[] args) => OrderServiceHost.Build(args).RunAsync();
}
