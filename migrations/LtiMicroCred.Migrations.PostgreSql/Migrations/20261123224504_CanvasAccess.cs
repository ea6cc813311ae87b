using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LtiMicroCred.Migrations.PostgreSql.Migrations
{
    /// <inheritdoc />
    public partial class CanvasAccess : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "CanvasUserId",
                table: "People",
                type: "bigint",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "CanvasConnections",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    TenantId = table.Column<Guid>(type: "uuid", nullable: false),
                    CanvasBaseUrl = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    CanvasUserId = table.Column<long>(type: "bigint", nullable: false),
                    PersonId = table.Column<Guid>(type: "uuid", nullable: false),
                    CanvasUserName = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    ProtectedAccessToken = table.Column<string>(type: "character varying(8000)", maxLength: 8000, nullable: false),
                    ProtectedRefreshToken = table.Column<string>(type: "character varying(8000)", maxLength: 8000, nullable: false),
                    AccessTokenExpiresAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    RefreshLeaseId = table.Column<Guid>(type: "uuid", nullable: true),
                    RefreshLeaseUntil = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    ConnectedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CanvasConnections", x => x.Id);
                    table.ForeignKey(
                        name: "FK_CanvasConnections_People_PersonId",
                        column: x => x.PersonId,
                        principalTable: "People",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_CanvasConnections_Tenants_TenantId",
                        column: x => x.TenantId,
                        principalTable: "Tenants",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "CanvasDeveloperKeys",
                columns: table => new
                {
                    TenantId = table.Column<Guid>(type: "uuid", nullable: false),
                    CanvasBaseUrl = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    ClientId = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    ProtectedClientSecret = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CanvasDeveloperKeys", x => x.TenantId);
                    table.ForeignKey(
                        name: "FK_CanvasDeveloperKeys_Tenants_TenantId",
                        column: x => x.TenantId,
                        principalTable: "Tenants",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_CanvasConnections_PersonId",
                table: "CanvasConnections",
                column: "PersonId");

            migrationBuilder.CreateIndex(
                name: "IX_CanvasConnections_TenantId_CanvasBaseUrl_CanvasUserId",
                table: "CanvasConnections",
                columns: new[] { "TenantId", "CanvasBaseUrl", "CanvasUserId" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "CanvasConnections");

            migrationBuilder.DropTable(
                name: "CanvasDeveloperKeys");

            migrationBuilder.DropColumn(
                name: "CanvasUserId",
                table: "People");
        }
    }
}
