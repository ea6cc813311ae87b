using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LtiMicroCred.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class Column : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "CanvasColumnId",
                table: "HoursSettings",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "CanvasCourseId",
                table: "HoursSettings",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "ColumnConnectedBy",
                table: "HoursSettings",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "ColumnEnabled",
                table: "HoursSettings",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<long>(
                name: "CanvasCourseId",
                table: "Courses",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_HoursSettings_ColumnConnectedBy",
                table: "HoursSettings",
                column: "ColumnConnectedBy");

            migrationBuilder.AddForeignKey(
                name: "FK_HoursSettings_People_ColumnConnectedBy",
                table: "HoursSettings",
                column: "ColumnConnectedBy",
                principalTable: "People",
                principalColumn: "Id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_HoursSettings_People_ColumnConnectedBy",
                table: "HoursSettings");

            migrationBuilder.DropIndex(
                name: "IX_HoursSettings_ColumnConnectedBy",
                table: "HoursSettings");

            migrationBuilder.DropColumn(
                name: "CanvasColumnId",
                table: "HoursSettings");

            migrationBuilder.DropColumn(
                name: "CanvasCourseId",
                table: "HoursSettings");

            migrationBuilder.DropColumn(
                name: "ColumnConnectedBy",
                table: "HoursSettings");

            migrationBuilder.DropColumn(
                name: "ColumnEnabled",
                table: "HoursSettings");

            migrationBuilder.DropColumn(
                name: "CanvasCourseId",
                table: "Courses");
        }
    }
}
