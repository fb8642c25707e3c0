namespace OrderX.Products;

public static class Program
{
    public static Task Main(string[] args) => ProductServiceHost.Build(args).RunAsync();
}
