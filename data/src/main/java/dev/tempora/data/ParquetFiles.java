package dev.tempora.data;

import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.column.impl.ColumnReadStoreImpl;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.Converter;
import org.apache.parquet.io.api.GroupConverter;
import org.apache.parquet.io.api.PrimitiveConverter;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes flat Parquet files with Parquet-MR, without a Hadoop installation: files are opened
 * through {@link LocalInputFile}/{@link LocalOutputFile}, options come from a
 * {@link PlainParquetConfiguration}, and pages are (de)compressed by {@link PureJavaCodecs}.
 *
 * <p>Types map as: BOOLEAN and INT32 to int (DATE to timestamp, unsigned 32-bit to long), INT64 to long
 * (TIMESTAMP to timestamp), INT96 to timestamp, FLOAT to float, DOUBLE to double, DECIMAL to double,
 * BINARY/FIXED_LEN_BYTE_ARRAY to string. Nested and repeated columns are refused with the column's name.
 */
public final class ParquetFiles {

    private ParquetFiles() {}

    /** All columns of the file. */
    public static Frame read(Path path) {
        return read(path, null);
    }

    /** The named columns (all when {@code columns} is null), in file order. */
    public static Frame read(Path path, List<String> columns) {
        TableFiles.checkReadable(path);
        ParquetReadOptions options = ParquetReadOptions.builder(new PlainParquetConfiguration())
                .withCodecFactory(new PureJavaCodecs(path.toString()))
                .build();
        try (ParquetFileReader reader = new ParquetFileReader(new LocalInputFile(path), options)) {
            ParquetMetadata footer = reader.getFooter();
            MessageType schema = footer.getFileMetaData().getSchema();
            List<String> available = new ArrayList<>();
            for (Type field : schema.getFields()) {
                available.add(field.getName());
            }
            if (columns != null) {
                for (String c : columns) {
                    if (!available.contains(c)) {
                        throw new IllegalArgumentException(path + ": no column '" + c + "'; the columns are " + available);
                    }
                }
            }
            long totalRows = reader.getRecordCount();
            if (totalRows > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException(path + ": " + totalRows + " rows is more than a frame holds (2^31)");
            }
            int rows = (int) totalRows;
            List<ColumnDescriptor> wanted = new ArrayList<>();
            List<ColumnBuilder> builders = new ArrayList<>();
            for (ColumnDescriptor d : schema.getColumns()) {
                String name = d.getPath()[0];
                if (columns != null && !columns.contains(name)) {
                    continue;
                }
                if (d.getPath().length != 1 || d.getMaxRepetitionLevel() > 0) {
                    throw new IllegalArgumentException(path + ": column '" + String.join(".", d.getPath())
                            + "' is nested or repeated; Tempora reads flat tables only");
                }
                wanted.add(d);
                builders.add(new ColumnBuilder(name, d.getPrimitiveType(), rows, path));
            }
            String createdBy = footer.getFileMetaData().getCreatedBy();
            PageReadStore pages;
            int rowBase = 0;
            while ((pages = reader.readNextRowGroup()) != null) {
                ColumnReadStoreImpl store = new ColumnReadStoreImpl(pages, new NoConverter(), schema, createdBy);
                int groupRows = (int) pages.getRowCount();
                for (int c = 0; c < wanted.size(); c++) {
                    ColumnDescriptor d = wanted.get(c);
                    ColumnReader column = store.getColumnReader(d);
                    ColumnBuilder b = builders.get(c);
                    int maxDefinition = d.getMaxDefinitionLevel();
                    for (int r = 0; r < groupRows; r++) {
                        if (column.getCurrentDefinitionLevel() == maxDefinition) {
                            b.read(rowBase + r, column);
                        } else {
                            b.setMissing(rowBase + r);
                        }
                        column.consume();
                    }
                }
                rowBase += groupRows;
            }
            List<Column> out = new ArrayList<>();
            for (ColumnBuilder b : builders) {
                out.add(b.build());
            }
            return new Frame(path.toString(), out);
        } catch (IOException e) {
            throw new UncheckedIOException(path + ": cannot read as Parquet: " + readingError(e, path), e);
        } catch (OutOfMemoryError e) {
            // The sizes come from the file: a corrupt footer or page header can declare gigabytes in a few bytes
            // (found by ParquetFilesFuzzTest). The one allocation that failed left the heap as it was.
            throw new IllegalArgumentException(path + ": cannot read as Parquet: the file declares more rows or larger"
                    + " pages than the " + Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB Java heap holds; it is"
                    + " corrupt, or it needs a larger heap (-Xmx, e.g. TEMPORA_JAVA_OPTS=-Xmx16g)", e);
        } catch (RuntimeException e) {
            if (e instanceof IllegalArgumentException && e.getMessage() != null && e.getMessage().startsWith(path.toString())) {
                throw e;
            }
            throw new IllegalArgumentException(path + ": cannot read as Parquet: " + readingError(e, path), e);
        }
    }

    /**
     * What went wrong, for a message: Parquet-MR wraps a page codec's error ("could not decompress page"), so
     * the innermost cause that names the file (our codecs' errors do) says more than the outer message.
     */
    private static String readingError(Exception e, Path path) {
        String prefix = path + ": ";
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().startsWith(prefix)) {
                return t.getMessage().substring(prefix.length());
            }
        }
        return e.getMessage();
    }

    /** Writes the frame as one Parquet file with Snappy pages, atomically (a temporary file, then a rename). */
    public static void write(Frame frame, Path path) {
        write(frame, path, CompressionCodecName.SNAPPY);
    }

    /** Writes with the given page codec (UNCOMPRESSED, SNAPPY or GZIP). */
    public static void write(Frame frame, Path path, CompressionCodecName codec) {
        FrameWriteSupport support = new FrameWriteSupport(frame);
        dev.tempora.tensor.io.AtomicFiles.writeFile(path, temp -> {
            try (ParquetWriter<Integer> writer = new FrameWriterBuilder(new LocalOutputFile(temp), support)
                    .withConf(new PlainParquetConfiguration())
                    .withCodecFactory(new PureJavaCodecs(path.toString()))
                    .withCompressionCodec(codec)
                    .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
                    .build()) {
                for (int r = 0; r < frame.rowCount(); r++) {
                    writer.write(r);
                }
            }
        });
    }


    // ------------------------------------------------------------------ reading

    /** Record assembly is not used (columns are read directly); ColumnReadStoreImpl still wants a converter. */
    private static final class NoConverter extends GroupConverter {
        @Override public Converter getConverter(int fieldIndex) { return new PrimitiveConverter() { }; }
        @Override public void start() { }
        @Override public void end() { }
    }

    private enum Kind { BOOLEAN, INT, UINT32, LONG, DATE, TIMESTAMP_MILLIS, TIMESTAMP_MICROS, TIMESTAMP_NANOS, INT96,
        FLOAT, DOUBLE, DECIMAL_INT, DECIMAL_LONG, DECIMAL_BINARY, STRING }

    private static final class ColumnBuilder {
        final String name;
        final Kind kind;
        final int decimalScale;
        int[] ints;
        long[] longs;
        float[] floats;
        double[] doubles;
        BitSet missing;
        int[] codes;
        Map<Binary, Integer> dictionary;
        List<String> values;

        ColumnBuilder(String name, PrimitiveType type, int rows, Path path) {
            this.name = name;
            LogicalTypeAnnotation logical = type.getLogicalTypeAnnotation();
            int scale = 0;
            if (logical instanceof LogicalTypeAnnotation.DecimalLogicalTypeAnnotation decimal) {
                scale = decimal.getScale();
            }
            this.decimalScale = scale;
            this.kind = switch (type.getPrimitiveTypeName()) {
                case BOOLEAN -> Kind.BOOLEAN;
                case INT32 -> {
                    if (logical instanceof LogicalTypeAnnotation.DateLogicalTypeAnnotation) {
                        yield Kind.DATE;
                    } else if (logical instanceof LogicalTypeAnnotation.DecimalLogicalTypeAnnotation) {
                        yield Kind.DECIMAL_INT;
                    } else if (logical instanceof LogicalTypeAnnotation.IntLogicalTypeAnnotation i && !i.isSigned()
                            && i.getBitWidth() == 32) {
                        yield Kind.UINT32;
                    }
                    yield Kind.INT;
                }
                case INT64 -> {
                    if (logical instanceof LogicalTypeAnnotation.TimestampLogicalTypeAnnotation ts) {
                        yield switch (ts.getUnit()) {
                            case MILLIS -> Kind.TIMESTAMP_MILLIS;
                            case MICROS -> Kind.TIMESTAMP_MICROS;
                            case NANOS -> Kind.TIMESTAMP_NANOS;
                        };
                    } else if (logical instanceof LogicalTypeAnnotation.DecimalLogicalTypeAnnotation) {
                        yield Kind.DECIMAL_LONG;
                    }
                    yield Kind.LONG;
                }
                case INT96 -> Kind.INT96;
                case FLOAT -> Kind.FLOAT;
                case DOUBLE -> Kind.DOUBLE;
                case BINARY, FIXED_LEN_BYTE_ARRAY -> logical instanceof LogicalTypeAnnotation.DecimalLogicalTypeAnnotation
                        ? Kind.DECIMAL_BINARY : Kind.STRING;
            };
            switch (kind) {
                case BOOLEAN, INT -> ints = new int[rows];
                case UINT32, LONG, DATE, TIMESTAMP_MILLIS, TIMESTAMP_MICROS, TIMESTAMP_NANOS, INT96 -> longs = new long[rows];
                case FLOAT -> floats = new float[rows];
                case DOUBLE, DECIMAL_INT, DECIMAL_LONG, DECIMAL_BINARY -> doubles = new double[rows];
                case STRING -> {
                    codes = new int[rows];
                    dictionary = new HashMap<>();
                    values = new ArrayList<>();
                }
            }
        }

        void setMissing(int row) {
            switch (kind) {
                case FLOAT -> floats[row] = Float.NaN;
                case DOUBLE, DECIMAL_INT, DECIMAL_LONG, DECIMAL_BINARY -> doubles[row] = Double.NaN;
                case STRING -> codes[row] = -1;
                default -> {
                    if (missing == null) {
                        missing = new BitSet();
                    }
                    missing.set(row);
                }
            }
        }

        void read(int row, ColumnReader r) {
            switch (kind) {
                case BOOLEAN -> ints[row] = r.getBoolean() ? 1 : 0;
                case INT -> ints[row] = r.getInteger();
                case UINT32 -> longs[row] = Integer.toUnsignedLong(r.getInteger());
                case LONG -> longs[row] = r.getLong();
                case DATE -> longs[row] = r.getInteger() * 86_400_000_000L;
                case TIMESTAMP_MILLIS -> longs[row] = Math.multiplyExact(r.getLong(), 1000L);
                case TIMESTAMP_MICROS -> longs[row] = r.getLong();
                case TIMESTAMP_NANOS -> longs[row] = Math.floorDiv(r.getLong(), 1000L);
                case INT96 -> { // Impala's legacy layout: nanoseconds of the day, then the Julian day number
                    ByteBuffer b = r.getBinary().toByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
                    long nanosOfDay = b.getLong();
                    int julianDay = b.getInt();
                    longs[row] = (julianDay - 2_440_588L) * 86_400_000_000L + nanosOfDay / 1000L;
                }
                case FLOAT -> floats[row] = r.getFloat();
                case DOUBLE -> doubles[row] = r.getDouble();
                case DECIMAL_INT -> doubles[row] = r.getInteger() / Math.pow(10, decimalScale);
                case DECIMAL_LONG -> doubles[row] = r.getLong() / Math.pow(10, decimalScale);
                case DECIMAL_BINARY -> doubles[row] = new java.math.BigDecimal(new BigInteger(r.getBinary().getBytes()), decimalScale).doubleValue();
                case STRING -> {
                    Binary value = r.getBinary();
                    Integer code = dictionary.get(value);
                    if (code == null) {
                        code = values.size();
                        dictionary.put(value.copy(), code);
                        values.add(value.toStringUsingUTF8());
                    }
                    codes[row] = code;
                }
            }
        }

        Column build() {
            return switch (kind) {
                case BOOLEAN, INT -> new IntColumn(name, ints, missing);
                case UINT32, LONG -> new LongColumn(name, longs, missing);
                case DATE, TIMESTAMP_MILLIS, TIMESTAMP_MICROS, TIMESTAMP_NANOS, INT96 -> new TimestampColumn(name, longs, missing);
                case FLOAT -> new FloatColumn(name, floats);
                case DOUBLE, DECIMAL_INT, DECIMAL_LONG, DECIMAL_BINARY -> new DoubleColumn(name, doubles);
                case STRING -> new StringColumn(name, codes, values.toArray(new String[0]));
            };
        }
    }

    // ------------------------------------------------------------------ writing

    private static final class FrameWriterBuilder extends ParquetWriter.Builder<Integer, FrameWriterBuilder> {
        private final FrameWriteSupport support;

        FrameWriterBuilder(LocalOutputFile file, FrameWriteSupport support) {
            super(file);
            this.support = support;
        }

        @Override
        protected FrameWriterBuilder self() {
            return this;
        }

        @Override
        protected WriteSupport<Integer> getWriteSupport(org.apache.hadoop.conf.Configuration conf) {
            return support;
        }

        @Override
        protected WriteSupport<Integer> getWriteSupport(ParquetConfiguration conf) {
            return support;
        }
    }

    /** Writes row {@code r} of the frame, reading each column's primitive array directly. */
    private static final class FrameWriteSupport extends WriteSupport<Integer> {
        private final Frame frame;
        private final List<Column> columns;
        private RecordConsumer consumer;

        FrameWriteSupport(Frame frame) {
            this.frame = frame;
            this.columns = frame.columns();
        }

        @Override
        public WriteContext init(ParquetConfiguration configuration) {
            return init((org.apache.hadoop.conf.Configuration) null);
        }

        @Override
        public WriteContext init(org.apache.hadoop.conf.Configuration configuration) {
            Types.MessageTypeBuilder schema = Types.buildMessage();
            for (Column c : columns) {
                switch (c.type()) {
                    case FLOAT -> schema.optional(PrimitiveType.PrimitiveTypeName.FLOAT).named(c.name());
                    case DOUBLE -> schema.optional(PrimitiveType.PrimitiveTypeName.DOUBLE).named(c.name());
                    case INT -> schema.optional(PrimitiveType.PrimitiveTypeName.INT32).named(c.name());
                    case LONG -> schema.optional(PrimitiveType.PrimitiveTypeName.INT64).named(c.name());
                    case STRING -> schema.optional(PrimitiveType.PrimitiveTypeName.BINARY)
                            .as(LogicalTypeAnnotation.stringType()).named(c.name());
                    case TIMESTAMP -> schema.optional(PrimitiveType.PrimitiveTypeName.INT64)
                            .as(LogicalTypeAnnotation.timestampType(false, LogicalTypeAnnotation.TimeUnit.MICROS)).named(c.name());
                }
            }
            return new WriteContext(schema.named("schema"), Map.of("tempora.source", frame.source()));
        }

        @Override
        public void prepareForWrite(RecordConsumer recordConsumer) {
            this.consumer = recordConsumer;
        }

        @Override
        public void write(Integer boxedRow) {
            int row = boxedRow;
            consumer.startMessage();
            for (int i = 0; i < columns.size(); i++) {
                Column c = columns.get(i);
                if (c.isMissing(row)) {
                    continue;
                }
                consumer.startField(c.name(), i);
                switch (c) {
                    case FloatColumn f -> consumer.addFloat(f.values[row]);
                    case DoubleColumn d -> consumer.addDouble(d.values[row]);
                    case IntColumn n -> consumer.addInteger(n.values[row]);
                    case LongColumn l -> consumer.addLong(l.values[row]);
                    case TimestampColumn t -> consumer.addLong(t.micros[row]);
                    case StringColumn s -> consumer.addBinary(Binary.fromString(s.dictionary[s.codes[row]]));
                }
                consumer.endField(c.name(), i);
            }
            consumer.endMessage();
        }
    }

    static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
