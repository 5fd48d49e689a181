namespace Orleans.Batch.Hosting.Membership;

/// <summary>
/// A stored membership row cannot be read: an attribute is missing or holds a value of the wrong type or format.
/// This is a data error (someone wrote the row by hand, or a different tool shares the table), never contention.
/// </summary>
public sealed class MalformedMembershipRowException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="MalformedMembershipRowException"/> class.</summary>
    /// <param name="store">Where the row lives, e.g. <c>DynamoDB table 'Membership', cluster 'job-1'</c>.</param>
    /// <param name="rowKey">The key of the row, e.g. the silo identity.</param>
    /// <param name="attributeName">The attribute that cannot be read.</param>
    /// <param name="problem">What is wrong with it.</param>
    public MalformedMembershipRowException(string store, string rowKey, string attributeName, string problem)
        : base($"Malformed membership row '{rowKey}' in {store}: attribute '{attributeName}' {problem}")
    {
        RowKey = rowKey;
        AttributeName = attributeName;
    }

    /// <summary>Gets the key of the malformed row.</summary>
    public string RowKey { get; }

    /// <summary>Gets the name of the attribute that cannot be read.</summary>
    public string AttributeName { get; }
}
