using System.Diagnostics.CodeAnalysis;

// Test names read like specifications: Subject_Behaves_WhenCondition (CONTRIBUTING.md).
[assembly: SuppressMessage("Naming", "CA1707:Identifiers should not contain underscores", Justification = "Test naming convention",
    Scope = "namespaceanddescendants", Target = "~N:Orleans.Batch.Tests.Hosting.Membership")]
