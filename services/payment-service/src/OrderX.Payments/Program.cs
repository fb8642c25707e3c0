namespace OrderX.Payments;

public static class Program
{
    public static Task Main(string[] args) => PaymentServiceHost.Build(args).RunAsync();
}
