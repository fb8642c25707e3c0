using Microsoft.EntityFrameworkCore;

namespace OrderX.ServiceData;

/// <summary>Data a service needs from its first start (the demo catalog, the admin account); run after every migration, so it must be idempotent.</summary>
public delegate Task DatabaseSeed<in TContext>(TContext db, TimeProvider clock, CancellationToken cancellationToken) where TContext : DbContext;
