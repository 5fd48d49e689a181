namespace Orleans.Batch.Hosting.Membership.DynamoDB;

/// <summary>How a membership table created by the provider is billed (see <see cref="DynamoDBMembershipOptions.BillingMode"/>).</summary>
public enum DynamoDBBillingMode
{
    /// <summary>On-demand capacity (<c>PAY_PER_REQUEST</c>): no capacity planning; suits short-lived clusters.</summary>
    PayPerRequest,

    /// <summary>
    /// Provisioned capacity (<c>PROVISIONED</c>) with <see cref="DynamoDBMembershipOptions.ReadCapacityUnits"/> and
    /// <see cref="DynamoDBMembershipOptions.WriteCapacityUnits"/>.
    /// </summary>
    Provisioned,
}
