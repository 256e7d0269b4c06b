using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Pipeline.Coordinator.Persistence.Migrations
{
    /// <summary>Items keep the W3C traceparent of their root span (<c>trace_parent</c>), so later stages, resends and
    /// redrives continue the item's trace; rows saved before have none and start one at their next step.</summary>
    [DbContext(typeof(CoordinatorDbContext))]
    [Migration("20261206150000_ItemTraceParent")]
    public partial class ItemTraceParent : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder) =>
            migrationBuilder.AddColumn<string>(name: "trace_parent", table: "items", type: "character varying(55)", maxLength: 55, nullable: true);

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder) =>
            migrationBuilder.DropColumn(name: "trace_parent", table: "items");
    }
}
