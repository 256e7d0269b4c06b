using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Pipeline.Coordinator.Persistence;

/// <summary>For <c>dotnet ef migrations add</c>: the migrations are PostgreSQL's (no connection is opened).</summary>
public sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<CoordinatorDbContext>
{
    public CoordinatorDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<CoordinatorDbContext>().UseNpgsql("Host=localhost;Database=pipeline").Options);
}
