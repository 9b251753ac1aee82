//! Parquet export: the CSV columns, typed (integers, doubles, UTF-8 strings; empty
//! values are nulls), Snappy-compressed, in row groups of [`ROW_GROUP`] events so memory
//! stays bounded however large the ledger.
//!
//! Written with the `parquet` crate's own column writers, without Arrow: the crate
//! alone builds in about half a minute here, Arrow would add minutes. Behind the
//! default cargo feature `parquet`.

use crate::export::ExportStats;
use crate::query::{EventFilter, EventRow, QueryError, SourceRow};
use crate::Store;
use parquet::basic::Compression;
use parquet::column::writer::ColumnWriterImpl;
use parquet::data_type::{ByteArray, ByteArrayType, DataType, DoubleType, Int64Type};
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use std::io::Write;
use std::sync::Arc;

/// Events per row group.
pub const ROW_GROUP: usize = 65_536;

/// The file's schema (column order as in CSV).
pub const SCHEMA: &str = "message annals_event {
  REQUIRED INT64 event_id;
  OPTIONAL BYTE_ARRAY date (UTF8);
  REQUIRED BYTE_ARRAY cameo (UTF8);
  REQUIRED BYTE_ARRAY root (UTF8);
  REQUIRED BYTE_ARRAY label (UTF8);
  OPTIONAL BYTE_ARRAY plover_type (UTF8);
  OPTIONAL BYTE_ARRAY plover_mode (UTF8);
  OPTIONAL DOUBLE goldstein;
  REQUIRED INT64 quad_class;
  OPTIONAL BYTE_ARRAY source_name (UTF8);
  OPTIONAL BYTE_ARRAY source_code (UTF8);
  OPTIONAL BYTE_ARRAY source_country (UTF8);
  OPTIONAL BYTE_ARRAY source_sector (UTF8);
  OPTIONAL BYTE_ARRAY target_name (UTF8);
  OPTIONAL BYTE_ARRAY target_code (UTF8);
  OPTIONAL BYTE_ARRAY target_country (UTF8);
  OPTIONAL BYTE_ARRAY target_sector (UTF8);
  OPTIONAL BYTE_ARRAY place_name (UTF8);
  OPTIONAL BYTE_ARRAY place_country (UTF8);
  OPTIONAL DOUBLE lat;
  OPTIONAL DOUBLE lon;
  OPTIONAL INT64 geonames_id;
  REQUIRED INT64 num_mentions;
  REQUIRED INT64 num_articles;
  REQUIRED INT64 num_sources;
  OPTIONAL BYTE_ARRAY first_url (UTF8);
  OPTIONAL BYTE_ARRAY first_sentence (UTF8);
  REQUIRED BYTE_ARRAY rule (UTF8);
}";

/// One column's values for the current row group.
enum Column {
    Str(Vec<Option<String>>),
    F64(Vec<Option<f64>>),
    I64(Vec<Option<i64>>),
}

/// Empty columns in the schema's order, typed by its physical types.
fn columns(schema: &parquet::schema::types::Type) -> Vec<Column> {
    use parquet::basic::Type as Physical;
    schema
        .get_fields()
        .iter()
        .map(|f| match f.get_physical_type() {
            Physical::DOUBLE => Column::F64(Vec::new()),
            Physical::INT64 => Column::I64(Vec::new()),
            _ => Column::Str(Vec::new()),
        })
        .collect()
}

fn push_row(cols: &mut [Column], ev: &EventRow, sources: &[SourceRow]) {
    let first = sources.first();
    let strs = [
        (1, ev.date.clone()),
        (2, Some(ev.code.cameo.clone())),
        (3, Some(ev.code.root.clone())),
        (4, Some(ev.code.label.clone())),
        (5, ev.code.plover_type.clone()),
        (6, ev.code.plover_mode.clone()),
        (9, ev.source.name.clone()),
        (10, ev.source.code.clone()),
        (11, ev.source.country.clone()),
        (12, ev.source.sector.clone()),
        (13, ev.target.name.clone()),
        (14, ev.target.code.clone()),
        (15, ev.target.country.clone()),
        (16, ev.target.sector.clone()),
        (17, ev.place.name.clone()),
        (18, ev.place.country.clone()),
        (
            25,
            first.map(|s| s.url.clone().unwrap_or_else(|| s.input_id.clone())),
        ),
        (26, first.map(|s| s.excerpt.clone())),
        (27, Some(ev.rule.clone())),
    ];
    for (i, v) in strs {
        if let Column::Str(c) = &mut cols[i] {
            c.push(v);
        }
    }
    for (i, v) in [
        (7, ev.code.goldstein),
        (19, ev.place.lat),
        (20, ev.place.lon),
    ] {
        if let Column::F64(c) = &mut cols[i] {
            c.push(v);
        }
    }
    let ints = [
        (0, Some(ev.event_id)),
        (8, Some(ev.code.quad_class)),
        (21, ev.place.geonames_id),
        (22, Some(ev.num_mentions)),
        (23, Some(ev.num_articles)),
        (24, Some(ev.num_sources)),
    ];
    for (i, v) in ints {
        if let Column::I64(c) = &mut cols[i] {
            c.push(v);
        }
    }
}

fn pq_err(e: parquet::errors::ParquetError) -> std::io::Error {
    std::io::Error::other(format!("parquet: {e}"))
}

/// Write one column chunk: the present values, and for an optional column the
/// definition levels that say which rows have one.
fn write_column<T: DataType>(
    cw: &mut ColumnWriterImpl<'_, T>,
    vals: &[Option<T::T>],
    required: bool,
) -> std::io::Result<()>
where
    T::T: Clone,
{
    let present: Vec<T::T> = vals.iter().flatten().cloned().collect();
    let defs: Vec<i16> = vals.iter().map(|v| i16::from(v.is_some())).collect();
    let defs = (!required).then_some(defs.as_slice());
    cw.write_batch(&present, defs, None).map_err(pq_err)?;
    Ok(())
}

fn write_group<W: Write + Send>(
    w: &mut SerializedFileWriter<W>,
    cols: &mut [Column],
    required: &[bool],
) -> std::io::Result<()> {
    let mut rg = w.next_row_group().map_err(pq_err)?;
    let mut i = 0;
    while let Some(mut cw) = rg.next_column().map_err(pq_err)? {
        let required = required[i];
        match &mut cols[i] {
            Column::Str(v) => {
                let bytes: Vec<Option<ByteArray>> = v
                    .drain(..)
                    .map(|s| s.map(|s| ByteArray::from(s.into_bytes())))
                    .collect();
                write_column(cw.typed::<ByteArrayType>(), &bytes, required)?;
            }
            Column::F64(v) => write_column(cw.typed::<DoubleType>(), &std::mem::take(v), required)?,
            Column::I64(v) => write_column(cw.typed::<Int64Type>(), &std::mem::take(v), required)?,
        }
        cw.close().map_err(pq_err)?;
        i += 1;
    }
    rg.close().map_err(pq_err)?;
    Ok(())
}

/// Write the events the filter selects as a Parquet file.
pub fn export_parquet<W: Write + Send>(
    store: &Store,
    filter: &EventFilter,
    out: W,
) -> Result<std::io::Result<ExportStats>, QueryError> {
    let schema = Arc::new(
        parquet::schema::parser::parse_message_type(SCHEMA)
            .expect("the schema constant parses (tested)"),
    );
    let required: Vec<bool> = schema
        .get_fields()
        .iter()
        .map(|f| f.get_basic_info().repetition() == parquet::basic::Repetition::REQUIRED)
        .collect();
    let props = Arc::new(
        WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .set_created_by(format!("annals {}", env!("CARGO_PKG_VERSION")))
            .build(),
    );
    let mut cols = columns(&schema);
    let mut w = match SerializedFileWriter::new(out, schema, props) {
        Ok(w) => w,
        Err(e) => return Ok(Err(pq_err(e))),
    };
    let mut pending = 0usize;
    let mut stats = ExportStats::default();
    let io = store.for_each_event_with_sources(filter, &mut |ev, sources| {
        push_row(&mut cols, &ev, &sources);
        pending += 1;
        stats.rows += 1;
        if pending == ROW_GROUP {
            write_group(&mut w, &mut cols, &required)?;
            pending = 0;
        }
        Ok(())
    })?;
    if let Err(e) = io {
        return Ok(Err(e));
    }
    if pending > 0 {
        if let Err(e) = write_group(&mut w, &mut cols, &required) {
            return Ok(Err(e));
        }
    }
    Ok(w.close().map(|_| stats).map_err(pq_err))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_matches_the_csv_columns() {
        let t = parquet::schema::parser::parse_message_type(SCHEMA).unwrap();
        let names: Vec<&str> = t.get_fields().iter().map(|f| f.name()).collect();
        let mut csv: Vec<&str> = crate::export::CSV_HEADER.to_vec();
        // CSV says lat/lon; the place columns are the same.
        assert_eq!(names.len(), csv.len());
        assert_eq!(columns(&t).len(), csv.len());
        csv.retain(|c| !names.contains(c));
        assert!(csv.is_empty(), "CSV columns missing from Parquet: {csv:?}");
    }
}
