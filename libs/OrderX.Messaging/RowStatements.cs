using System.Data.Common;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace OrderX.Messaging;

/// <summary>
/// How one entity type's row is inserted or updated by a plain statement, taken from the EF Core model once per entity
/// type: its table, its columns with their type mappings (so a value is converted and typed exactly as EF Core would
/// send it), its key, its concurrency tokens, and which columns the database fills in when the entity leaves them
/// unset. Only an entity type that is one row of one table of its own has one: owned, complex, split, shared or
/// self-referencing types are left to EF Core, and so is an update of a type whose columns the database changes on
/// update (a row version), which EF Core would read back.
/// </summary>
internal sealed class RowStatements
{
    private static readonly ConditionalWeakTable<IEntityType, StrongBox<RowStatements?>> Known = new();

    private readonly string _table;
    private readonly Column[] _columns;
    // The INSERT with positional parameters, for each set of database-filled columns the row leaves to the database.
    private readonly Dictionary<ulong, string> _positionalInserts = [];
    // The same with named parameters, for SQLite.
    private readonly Dictionary<ulong, string> _namedInserts = [];

    private RowStatements(string table, Column[] columns, int depth, bool updatable)
    {
        _table = table;
        _columns = columns;
        Depth = depth;
        IsUpdatable = updatable;
    }

    /// <summary>How many foreign keys away from a table without any this one is: rows are inserted in this order.</summary>
    public int Depth { get; }

    public bool IsUpdatable { get; }

    public static RowStatements? For(IEntityType entityType, ISqlGenerationHelper sql) =>
        Known.TryGetValue(entityType, out var known)
            ? known.Value
            : Known.GetValue(entityType, type => new StrongBox<RowStatements?>(Plan(type, sql))).Value;

    /// <summary>The row's INSERT, for a batch whose statements number their parameters on their own (Npgsql).</summary>
    public void AddInsert(DbBatch batch, DbCommand parameterFactory, EntityEntry entry)
    {
        var command = batch.CreateBatchCommand();
        var values = entry.CurrentValues;
        var omitted = Omitted(entry, values);
        lock (_positionalInserts)
        {
            if (!_positionalInserts.TryGetValue(omitted, out var text))
                _positionalInserts[omitted] = text = Insert(omitted, position => $"${position + 1}");
            command.CommandText = text;
        }
        for (var i = 0; i < _columns.Length; i++)
        {
            if ((omitted & (1UL << i)) == 0)
                command.Parameters.Add(_columns[i].Parameter(parameterFactory, "", values[_columns[i].Property]));
        }
        batch.BatchCommands.Add(command);
    }

    /// <summary>Which columns the row's INSERT leaves to the database: rows with the same answer share one statement.</summary>
    public ulong InsertShape(EntityEntry entry) => Omitted(entry, entry.CurrentValues);

    /// <summary>The INSERT of rows of that shape with parameters named <c>@p0</c> on (SQLite), for a command of its own.</summary>
    public string NamedInsert(ulong shape)
    {
        lock (_namedInserts)
        {
            if (!_namedInserts.TryGetValue(shape, out var text))
                _namedInserts[shape] = text = Insert(shape, ParameterName);
            return text;
        }
    }

    /// <summary>Gives the command of <see cref="NamedInsert"/> the row's values, replacing those of the row before it.</summary>
    public void BindInsert(DbCommand command, EntityEntry entry, ulong shape)
    {
        var values = entry.CurrentValues;
        command.Parameters.Clear();
        var position = 0;
        for (var i = 0; i < _columns.Length; i++)
        {
            if ((shape & (1UL << i)) == 0)
                command.Parameters.Add(_columns[i].Parameter(command, ParameterName(position++), values[_columns[i].Property]));
        }
    }

    private static readonly string[] ParameterNames = [.. Enumerable.Range(0, 64).Select(i => $"@p{i}")];

    private static string ParameterName(int position) => ParameterNames[position];

    /// <summary>
    /// The row's UPDATE of its changed columns, found by its key and the original values of its concurrency tokens: it
    /// changes one row, or none if another unit of work changed the row first. Parameters are positional (Npgsql) or
    /// named <c>@p0</c> on. A <paramref name="guarded"/> update (PostgreSQL) fails (<see cref="NoRowChangedSqlState"/>)
    /// when it changes no row, instead of reporting a count of none, so that it
    /// takes back the implicit transaction of the batch it is in. Null when no mapped column changed.
    /// </summary>
    public (string Sql, List<DbParameter> Parameters)? Update(EntityEntry entry, DbCommand parameterFactory, bool positional, bool guarded = false)
    {
        var parameters = new List<DbParameter>();
        string Placeholder(Column column, object? value)
        {
            var name = positional ? "" : $"@p{parameters.Count}";
            parameters.Add(column.Parameter(parameterFactory, name, value));
            return positional ? $"${parameters.Count}" : name;
        }

        var set = new StringBuilder();
        var current = entry.CurrentValues;
        foreach (var column in _columns)
        {
            if (!entry.Property(column.Property).IsModified)
                continue;
            set.Append(set.Length > 0 ? ", " : "").Append(column.QuotedName).Append(" = ").Append(Placeholder(column, current[column.Property]));
        }
        if (set.Length == 0)
            return null;
        var where = new StringBuilder();
        var original = entry.OriginalValues;
        foreach (var column in _columns)
        {
            if (!column.IsKey && !column.IsConcurrencyToken)
                continue;
            var value = column.IsKey ? current[column.Property] : original[column.Property];
            where.Append(where.Length > 0 ? " AND " : "").Append(column.QuotedName)
                .Append(value is null ? " IS NULL" : " = " + Placeholder(column, value));
        }
        var update = $"UPDATE {_table} SET {set} WHERE {where}";
        return (guarded ? $"WITH updated AS ({update} RETURNING 1) SELECT {Guard} FROM updated" : update, parameters);
    }

    // SQL has no statement that raises an error of one's choosing; casting a sentence to a number does, and names the
    // cause in the server's log. It is not a constant, so PostgreSQL evaluates it only when the update changed no row.
    private const string Guard =
        "CASE WHEN count(*) = 1 THEN 1 ELSE (count(*) || ' rows updated where 1 was expected: the row was changed or deleted since it was read, so its unit of work is rolled back')::int END";

    /// <summary>PostgreSQL's <c>invalid_text_representation</c>: what a guarded update fails with when it found no row to change.</summary>
    public const string NoRowChangedSqlState = "22P02";

    // A column the database fills in is left out when the entity holds no value of its own for it: a temporary key
    // (an identity column) or the property's sentinel (a default), as EF Core decides.
    private ulong Omitted(EntityEntry entry, PropertyValues values)
    {
        ulong omitted = 0;
        for (var i = 0; i < _columns.Length; i++)
        {
            var column = _columns[i];
            if (column.FilledByDatabase
                && (entry.Property(column.Property).IsTemporary || Equals(values[column.Property], column.Property.Sentinel)))
                omitted |= 1UL << i;
        }
        return omitted;
    }

    private string Insert(ulong omitted, Func<int, string> placeholder)
    {
        var names = new StringBuilder();
        var values = new StringBuilder();
        var position = 0;
        for (var i = 0; i < _columns.Length; i++)
        {
            if ((omitted & (1UL << i)) != 0)
                continue;
            if (position > 0)
            {
                names.Append(", ");
                values.Append(", ");
            }
            names.Append(_columns[i].QuotedName);
            values.Append(placeholder(position++));
        }
        return position == 0 ? $"INSERT INTO {_table} DEFAULT VALUES" : $"INSERT INTO {_table} ({names}) VALUES ({values})";
    }

    private static RowStatements? Plan(IEntityType type, ISqlGenerationHelper sql)
    {
        if (type.IsOwned() || type.GetComplexProperties().Any() || type.GetNavigations().Any(n => n.TargetEntityType.IsOwned()))
            return null;
        var mappings = type.GetTableMappings().ToList();
        if (mappings.Count != 1 || mappings[0].Table.EntityTypeMappings.Count() != 1)
            return null;
        var table = mappings[0].Table;
        var columns = new List<Column>();
        var updatable = true;
        foreach (var mapping in mappings[0].ColumnMappings)
        {
            var property = mapping.Property;
            if (property.ValueGenerated.HasFlag(ValueGenerated.OnUpdate))
                updatable = false;
            if (mapping.Column.ComputedColumnSql is not null)
                continue;
            columns.Add(new Column(property, sql.DelimitIdentifier(mapping.Column.Name), mapping.TypeMapping,
                mapping.Column.IsNullable, property.ValueGenerated.HasFlag(ValueGenerated.OnAdd), property.IsPrimaryKey(), property.IsConcurrencyToken));
        }
        if (columns.Count is 0 or > 64 || type.FindPrimaryKey() is null)
            return null;
        var depth = ForeignKeyDepth(type, 0);
        return depth < 0 ? null : new RowStatements(sql.DelimitIdentifier(table.Name, table.Schema), [.. columns], depth, updatable);
    }

    // -1 for a type on a cycle of foreign keys (its own rows would have to be ordered among themselves).
    private static int ForeignKeyDepth(IEntityType type, int hops)
    {
        if (hops > 16)
            return -1;
        var depth = 0;
        foreach (var foreignKey in type.GetForeignKeys())
        {
            if (foreignKey.PrincipalEntityType == type)
                return -1;
            var principal = ForeignKeyDepth(foreignKey.PrincipalEntityType, hops + 1);
            if (principal < 0)
                return -1;
            depth = Math.Max(depth, principal + 1);
        }
        return depth;
    }

    private sealed record Column(
        IProperty Property, string QuotedName, RelationalTypeMapping TypeMapping, bool IsNullable, bool FilledByDatabase, bool IsKey, bool IsConcurrencyToken)
    {
        // The type mapping converts the value (UTC times, enums) and types the parameter as EF Core's own save does.
        public DbParameter Parameter(DbCommand factory, string name, object? value) =>
            TypeMapping.CreateParameter(factory, name, value, IsNullable);
    }
}
