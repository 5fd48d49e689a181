namespace Orleans.Batch.BatchEmulator.Faults;

internal enum FaultKind
{
    /// <summary>429 TooManyRequestsException; the operation is not performed.</summary>
    Throttle,

    /// <summary>500 ServerException; the operation is not performed.</summary>
    ServerError,

    /// <summary>The operation is performed, then the connection is aborted so the client never sees the answer.</summary>
    DropResponse,
}
