using Microsoft.EntityFrameworkCore;

namespace OrderX.Messaging;

/// <summary>
/// The moments of a save that <see cref="AfterCommitInterceptor{TChange}"/> acts on, for a save that writes without
/// <c>SaveChanges</c> (<see cref="UnitOfWorkSave"/>) and so raises no interceptor events of its own.
/// </summary>
internal interface ISaveObserver
{
    void Saving(DbContext context);

    void Saved(DbContext context, bool succeeded);

    /// <summary>The transaction the saves ran in was committed by the last of them (<see cref="UnitOfWorkSave.SaveAndCommitAsync"/>).</summary>
    void Committed(DbContext context, Guid transactionId);
}
