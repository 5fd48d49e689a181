namespace Orleans.Batch.Hosting.Configuration;

/// <summary>Where a cluster keeps its membership table.</summary>
public enum MembershipKind
{
    /// <summary>A file on this machine; every silo must run here (the local backend's default).</summary>
    Local,

    /// <summary>A DynamoDB table partitioned by cluster id (required on AWS Batch).</summary>
    DynamoDB,
}
