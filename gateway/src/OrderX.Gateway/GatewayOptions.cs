namespace OrderX.Gateway;

/// <summary>The gateway's edge settings (section <c>Gateway</c>).</summary>
public sealed class GatewayOptions
{
    public const string Section = "Gateway";

    /// <summary>Largest request body accepted; larger ones get 413 before reaching a service.</summary>
    public long MaxRequestBodyBytes { get; set; } = 256 * 1024;

    /// <summary>How long a service may take to answer (the order status long poll waits up to 30 s); then 504.</summary>
    public TimeSpan BackendTimeout { get; set; } = TimeSpan.FromSeconds(40);

    /// <summary>Browser origins allowed to call the API (the web UI's); none by default, so only same-origin pages can.</summary>
    public string[] CorsOrigins { get; set; } = [];

    public RateLimitOptions RateLimits { get; set; } = new();
}

/// <summary>Token buckets: per signed-in customer, and per client address (signed in or not).</summary>
public sealed class RateLimitOptions
{
    public int CustomerPerSecond { get; set; } = 20;
    public int CustomerBurst { get; set; } = 60;
    public int AddressPerSecond { get; set; } = 100;
    public int AddressBurst { get; set; } = 300;
}
