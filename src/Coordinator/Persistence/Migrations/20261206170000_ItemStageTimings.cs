using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Pipeline.Coordinator.Persistence.Migrations
{
    /// <summary>Items keep where their time went in each stage (<c>timings</c>, JSON by stage name: queue, inputs,
    /// compute, batch size, outputs, report); rows saved before have none.</summary>
    [DbContext(typeof(CoordinatorDbContext))]
    [Migration("20261206170000_ItemStageTimings")]
    public partial class ItemStageTimings : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder) =>
            migrationBuilder.AddColumn<string>(name: "timings", table: "items", type: "text", nullable: false, defaultValue: "{}");

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder) =>
            migrationBuilder.DropColumn(name: "timings", table: "items");
    }
}
