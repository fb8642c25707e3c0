using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;

namespace OrderX.Messaging;

/// <summary>
/// The save that ends a unit of work, in plain statements straight through the context's connection instead of EF
/// Core's update pipeline, which was about half of <c>SaveChanges</c> in the profile (command trees, column
/// modifications, parameter objects, result mapping, accepting the changes): 12–14% of each consuming service.
/// Added rows become INSERTs (nothing is read back); changed rows UPDATEs of their changed columns, found by key and
/// concurrency tokens, each of which must change exactly one row or the whole unit of work is rolled back with a
/// <see cref="DbUpdateConcurrencyException"/>, as EF Core does. On PostgreSQL the unit of work is one Npgsql batch, which
/// the server runs as one implicit transaction (<see cref="OneRoundTripSave"/>), each of its updates guarded so that
/// one finding no row fails the batch; on SQLite the statements run in a transaction. Inside a
/// transaction of the caller's (a consumer that locks its rows first) the statements run in it, and the caller's commit
/// decides, as with <c>SaveChanges</c>; <see cref="SaveAndCommitAsync"/> sends that commit with the save. Values are
/// converted and typed by the model's own type mappings, and the <see cref="AfterCommitInterceptor{TChange}"/>s see
/// the save as they see <c>SaveChanges</c>. A failure is a <see cref="DbUpdateException"/> with the provider's error
/// inside, as from <c>SaveChanges</c>. Anything else (a delete, an entity type that is
/// not one row of one table, an interceptor of commands, transactions or saves that this could not honour, another
/// provider) is saved by EF Core (<see cref="OneRoundTripSave.SaveInOneRoundTripAsync"/>). The context is done with
/// afterwards: after a plain save it tracks nothing, since the keys the database generated were not read back.
/// </summary>
public static class UnitOfWorkSave
{
    // Well under what one statement batch or command takes (parameters, Npgsql's batch size).
    private const int MaxRows = 500;

    private static readonly ConditionalWeakTable<IDbContextOptions, StrongBox<SaveObservers?>> ObserversByOptions = new();

    public static async Task<int> SaveUnitOfWorkAsync(this DbContext db, CancellationToken cancellationToken) =>
        (await SaveAsync(db, commit: false, cancellationToken)).Changed;

    /// <summary>
    /// Saves the unit of work and commits the caller's transaction it runs in (a consumer that locked its rows first);
    /// without one, the same as <see cref="SaveUnitOfWorkAsync"/>. On PostgreSQL a plain save sends the <c>COMMIT</c> as
    /// the last statement of its batch instead of a round trip of its own after it: the batch's statements run in the
    /// caller's transaction, a failing one makes PostgreSQL skip the rest of the batch, the <c>COMMIT</c> with it, and the
    /// transaction is then rolled back as before. Npgsql learns from the server's answer that no transaction is open any
    /// more, so ending the caller's transaction afterwards sends nothing. Otherwise the save is followed by the commit.
    /// </summary>
    public static async Task SaveAndCommitAsync(this DbContext db, CancellationToken cancellationToken)
    {
        var transaction = db.Database.CurrentTransaction;
        var saved = await SaveAsync(db, commit: transaction is not null, cancellationToken);
        if (transaction is null)
            return;
        if (saved.Committed)
            await transaction.DisposeAsync();
        else
            await transaction.CommitAsync(cancellationToken);
    }

    private static async Task<(int Changed, bool Committed)> SaveAsync(DbContext db, bool commit, CancellationToken cancellationToken)
    {
        var tracker = db.ChangeTracker;
        var autoDetect = tracker.AutoDetectChangesEnabled;
        tracker.DetectChanges();
        tracker.AutoDetectChangesEnabled = false;
        try
        {
            return Plain(db) is { } plain
                ? await SavePlainAsync(db, plain, commit, cancellationToken)
                : (await OneRoundTripSave.SaveDetectedAsync(db, cancellationToken), false);
        }
        finally
        {
            tracker.AutoDetectChangesEnabled = autoDetect;
        }
    }

    private sealed record PlainUnitOfWork(List<Row> Inserts, List<Row> Updates, ISaveObserver[] Observers, IDbContextTransaction? CallersTransaction)
    {
        public List<EntityEntry> Entries() => [.. Inserts.Select(r => r.Entry), .. Updates.Select(r => r.Entry)];
    }

    private readonly record struct Row(EntityEntry Entry, RowStatements Statements);

    private static PlainUnitOfWork? Plain(DbContext db)
    {
        var database = db.Database;
        if (!(db.IsPostgres() || db.IsSqlite()))
            return null;
        var observers = Observers(db);
        if (observers is null || OneRoundTripSave.HasGeneratedPrincipalKeys(db.Model))
            return null;
        var sql = db.GetService<ISqlGenerationHelper>();
        var inserts = new List<Row>();
        var updates = new List<Row>();
        foreach (var entry in db.ChangeTracker.Entries())
        {
            if (entry.State == EntityState.Unchanged)
                continue;
            if (inserts.Count + updates.Count == MaxRows || RowStatements.For(entry.Metadata, sql) is not { } statements)
                return null;
            if (entry.State == EntityState.Added)
                inserts.Add(new Row(entry, statements));
            else if (entry.State == EntityState.Modified && statements.IsUpdatable)
                updates.Add(new Row(entry, statements));
            else
                return null;
        }
        if (inserts.Count + updates.Count == 0)
            return null;
        // Principals before their dependents (an order before its lines); the rows of one table keep their order.
        return new PlainUnitOfWork([.. inserts.OrderBy(r => r.Statements.Depth)], updates, observers.Observers, database.CurrentTransaction);
    }

    // Committed: the caller's transaction was committed with the save (only on PostgreSQL, and only when asked).
    private static async Task<(int Changed, bool Committed)> SavePlainAsync(DbContext db, PlainUnitOfWork work, bool commit, CancellationToken cancellationToken)
    {
        foreach (var observer in work.Observers)
            observer.Saving(db);
        var database = db.Database;
        var committed = false;
        try
        {
            await database.OpenConnectionAsync(cancellationToken);
            try
            {
                var connection = database.GetDbConnection();
                bool changed;
                if (db.IsPostgres())
                    (changed, committed) = await SaveInOneBatchAsync(connection, work, database.GetCommandTimeout(), commit, cancellationToken);
                else
                    changed = await SaveInOneTransactionAsync(connection, work, database.GetCommandTimeout(), cancellationToken);
                // Without its entries (EF Core names them by an internal type): every caller here retries the whole unit of work.
                if (!changed)
                    throw new DbUpdateConcurrencyException(
                        "An update expected to change 1 row changed none: the row was changed or deleted since it was read. Nothing of the unit of work is kept.");
            }
            finally
            {
                await database.CloseConnectionAsync();
            }
        }
        catch (Exception error)
        {
            foreach (var observer in work.Observers)
                observer.Saved(db, succeeded: false);
            if (error is DbException)
                throw new DbUpdateException("An error occurred while saving the entity changes. See the inner exception for details.", error, work.Entries());
            throw;
        }
        foreach (var observer in work.Observers)
            observer.Saved(db, succeeded: true);
        if (committed)
        {
            foreach (var observer in work.Observers)
                observer.Committed(db, work.CallersTransaction!.TransactionId);
        }
        db.ChangeTracker.Clear();
        return (work.Inserts.Count + work.Updates.Count, committed);
    }

    // False when an update found its row changed (or gone): the whole unit of work is rolled back here, or, inside the
    // caller's transaction, left for the caller to roll back. Each update is guarded (RowStatements.Update): one that
    // changes no row fails the batch, and PostgreSQL's implicit transaction of the batch takes back every statement in
    // it, so a unit of work that updates is one round trip too. In a transaction of its own, it was two: an update that
    // finds no row is no error to PostgreSQL, and the commit had to wait for the counts (7% of the order service's samples).
    // With commit, inside the caller's transaction, the batch ends with its COMMIT (SaveAndCommitAsync).
    private static async Task<(bool Changed, bool Committed)> SaveInOneBatchAsync(
        DbConnection connection, PlainUnitOfWork work, int? timeout, bool commit, CancellationToken cancellationToken)
    {
        await using var parameterFactory = connection.CreateCommand();
        await using var batch = connection.CreateBatch();
        if (timeout is { } seconds)
            batch.Timeout = seconds;
        foreach (var (entry, statements) in work.Inserts)
            statements.AddInsert(batch, parameterFactory, entry);
        var firstUpdate = batch.BatchCommands.Count;
        foreach (var (entry, statements) in work.Updates)
        {
            if (statements.Update(entry, parameterFactory, positional: true, guarded: true) is not var (sql, parameters))
                continue;
            var command = batch.CreateBatchCommand();
            command.CommandText = sql;
            foreach (var parameter in parameters)
                command.Parameters.Add(parameter);
            batch.BatchCommands.Add(command);
        }
        if (batch.BatchCommands.Count == 0)
            return (true, false);
        batch.Transaction = work.CallersTransaction?.GetDbTransaction();
        var commits = commit && batch.Transaction is not null;
        if (commits)
        {
            var command = batch.CreateBatchCommand();
            command.CommandText = "COMMIT";
            batch.BatchCommands.Add(command);
        }
        try
        {
            await batch.ExecuteNonQueryAsync(cancellationToken);
            return (true, commits);
        }
        catch (DbException error) when (error.SqlState == RowStatements.NoRowChangedSqlState
            && (error.BatchCommand is not { } failed || batch.BatchCommands.IndexOf(failed) >= firstUpdate))
        {
            return (false, false);
        }
    }

    private static async Task<bool> SaveInOneTransactionAsync(DbConnection connection, PlainUnitOfWork work, int? timeout, CancellationToken cancellationToken)
    {
        if (work.CallersTransaction?.GetDbTransaction() is { } callers)
            return await SaveInTransactionAsync(connection, callers, work, timeout, cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (!await SaveInTransactionAsync(connection, transaction, work, timeout, cancellationToken))
        {
            await transaction.RollbackAsync(cancellationToken);
            return false;
        }
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    // False, and the transaction left for its owner to roll back, when an update found its row changed or gone.
    private static async Task<bool> SaveInTransactionAsync(
        DbConnection connection, DbTransaction transaction, PlainUnitOfWork work, int? timeout, CancellationToken cancellationToken)
    {
        // One command per shape of row, run once for each row of it: SQLite prepares its statement once, and binds each
        // row's own parameters only. All rows in one command of many statements had every parameter looked up by name
        // in every statement (a UTF-8 copy of the name and a scan of the statement's names each), which grew with the
        // square of the rows and was most of the embedded mode's save.
        var inserts = new Dictionary<(RowStatements, ulong), DbCommand>();
        try
        {
            foreach (var (entry, statements) in work.Inserts)
            {
                var shape = statements.InsertShape(entry);
                if (!inserts.TryGetValue((statements, shape), out var command))
                {
                    command = NewCommand(connection, transaction, timeout);
                    command.CommandText = statements.NamedInsert(shape);
                    inserts.Add((statements, shape), command);
                }
                statements.BindInsert(command, entry, shape);
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
        }
        finally
        {
            foreach (var command in inserts.Values)
                await command.DisposeAsync();
        }
        foreach (var (entry, statements) in work.Updates)
        {
            await using var command = NewCommand(connection, transaction, timeout);
            if (statements.Update(entry, command, positional: false) is not var (sql, parameters))
                continue;
            command.CommandText = sql;
            foreach (var parameter in parameters)
                command.Parameters.Add(parameter);
            if (await command.ExecuteNonQueryAsync(cancellationToken) != 1)
                return false;
        }
        return true;
    }

    private static DbCommand NewCommand(DbConnection connection, DbTransaction transaction, int? timeout)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        if (timeout is { } seconds)
            command.CommandTimeout = seconds;
        return command;
    }

    /// <summary>
    /// The context's after-commit interceptors, or null when it has an interceptor of saves, commands or transactions
    /// of another kind, which only <c>SaveChanges</c> would call. Connection interceptors (SQLite's pragmas) still run:
    /// the connection is opened through the context.
    /// </summary>
    private static SaveObservers? Observers(DbContext db)
    {
        var options = db.GetService<IDbContextOptions>();
        if (ObserversByOptions.TryGetValue(options, out var known))
            return known.Value;
        var interceptors = options.FindExtension<CoreOptionsExtension>()?.Interceptors ?? [];
        var observers = new List<ISaveObserver>();
        foreach (var interceptor in interceptors)
        {
            if (interceptor is ISaveObserver observer)
                observers.Add(observer);
            else if (interceptor is ISaveChangesInterceptor or IDbCommandInterceptor or IDbTransactionInterceptor)
                return ObserversByOptions.GetValue(options, _ => new StrongBox<SaveObservers?>(null)).Value;
        }
        return ObserversByOptions.GetValue(options, _ => new StrongBox<SaveObservers?>(new SaveObservers([.. observers]))).Value;
    }

    private sealed record SaveObservers(ISaveObserver[] Observers);
}
