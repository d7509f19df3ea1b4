import java.io.BufferedReader;
import java.io.FileInputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import uk.co.real_logic.sbe.PrimitiveType;
import uk.co.real_logic.sbe.PrimitiveValue;
import uk.co.real_logic.sbe.ir.Encoding;
import uk.co.real_logic.sbe.ir.GenerationUtil;
import uk.co.real_logic.sbe.ir.Ir;
import uk.co.real_logic.sbe.ir.Signal;
import uk.co.real_logic.sbe.ir.Token;
import uk.co.real_logic.sbe.xml.IrGenerator;
import uk.co.real_logic.sbe.xml.ParserOptions;
import uk.co.real_logic.sbe.xml.XmlSchemaParser;

/**
 * Golden bytes from the real SBE Java codecs, for any schema.
 *
 * <p>The schema is parsed with the SBE tool's own parser into its IR; the Java codecs generated from it
 * (by the SBE tool, or shipped in the Aeron jar) are reached by reflection, so one program covers every
 * message of every schema.
 *
 * <pre>
 *   java SbeGolden encode &lt;schema.xml | classpath:path/in/jar.xml&gt;
 *       one JSON line per message and value case:
 *       {"message":"X","templateId":1,"case":"max","hex":"...","fields":[...]}
 *   java SbeGolden decode &lt;schema&gt;   &lt; lines "MessageName hex"
 *       one JSON line per input line: {"message":"X","fields":[...]} or {"message":"X","error":"..."}
 * </pre>
 *
 * <p>A field is {"name","kind","value"} (plus "type" for enums/sets/composites, "of" for arrays):
 * kind int (JSON number, also for a single char), int64 / uint64 (decimal string), float / double
 * (IEEE 754 bits as 8 / 16 lower-case hex digits, so NaN and -0.0 are exact), char (char array as a
 * string up to the first NUL), array (list of element values), enum (constant name), set (names of the
 * choices set), composite (nested fields), varString (string), varBytes (hex), group (list of entries,
 * each a field list), constant (the value as a string). Every case written by {@code encode} is decoded
 * again by the Java decoder and must give the same fields (exit code 2 otherwise).
 */
public final class SbeGolden
{
    static final String[] CASES = { "min", "max", "null", "typical", "random1", "random2", "random3" };

    // ------------------------------------------------------------------ field tree

    static final class Node
    {
        final String name;
        final String kind;
        final Object value;
        String type;
        String of;

        Node(final String name, final String kind, final Object value)
        {
            this.name = name;
            this.kind = kind;
            this.value = value;
        }
    }

    /** A scalar: the primitive type and its raw bits (integers sign-extended, floats as raw IEEE bits). */
    static final class Scalar
    {
        final PrimitiveType type;
        final long bits;

        Scalar(final PrimitiveType type, final long bits)
        {
            this.type = type;
            this.bits = bits;
        }
    }

    /** The fields, groups and var data of a message or group body, in schema order. */
    static final class Level
    {
        final List<Token> fields = new ArrayList<>();
        final List<GroupDef> groups = new ArrayList<>();
        final List<Token> varData = new ArrayList<>();
    }

    static final class GroupDef
    {
        final Token token;
        final Level body;

        GroupDef(final Token token, final Level body)
        {
            this.token = token;
            this.body = body;
        }
    }

    static final class MessageDef
    {
        final Token token;
        final Level body;

        MessageDef(final Token token, final Level body)
        {
            this.token = token;
            this.body = body;
        }
    }

    // ------------------------------------------------------------------ main

    private final String pkg;
    private final String headerName;
    private final List<MessageDef> messages = new ArrayList<>();
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1 << 20]);

    SbeGolden(final Ir ir)
    {
        pkg = ir.applicableNamespace();
        headerName = className(ir.headerStructure().tokens().get(0).applicableTypeName());
        for (final List<Token> tokens : ir.messages())
        {
            final List<Token> body = GenerationUtil.getMessageBody(tokens);
            final Level level = new Level();
            parseLevel(body, 0, level);
            messages.add(new MessageDef(tokens.get(0), level));
        }
        messages.sort(Comparator.comparingInt((MessageDef m) -> m.token.id()));
    }

    public static void main(final String[] args) throws Exception
    {
        if (args.length != 2 || !("encode".equals(args[0]) || "decode".equals(args[0])))
        {
            System.err.println("usage: SbeGolden encode|decode <schema.xml | classpath:resource.xml>");
            System.exit(1);
        }
        final Ir ir;
        try (InputStream in = openSchema(args[1]))
        {
            final ParserOptions options = ParserOptions.builder().stopOnError(true).build();
            ir = new IrGenerator().generate(XmlSchemaParser.parse(in, options));
        }
        final SbeGolden golden = new SbeGolden(ir);
        final PrintStream out = new PrintStream(System.out, false, StandardCharsets.US_ASCII);
        final int status = "encode".equals(args[0]) ? golden.encodeAll(out) : golden.decodeAll(out);
        out.flush();
        System.exit(status);
    }

    static InputStream openSchema(final String location) throws Exception
    {
        if (location.startsWith("classpath:"))
        {
            final String resource = location.substring("classpath:".length());
            final InputStream in = SbeGolden.class.getClassLoader().getResourceAsStream(resource);
            if (in == null)
            {
                throw new IllegalArgumentException("no resource " + resource + " on the classpath");
            }
            return in;
        }
        return new FileInputStream(location);
    }

    int encodeAll(final PrintStream out) throws Exception
    {
        int status = 0;
        for (final MessageDef message : messages)
        {
            for (int c = 0; c < CASES.length; c++)
            {
                final String caseName = CASES[c];
                final Random random = new Random(message.token.id() * 31L + c);
                final List<Node> fields = new Generator(caseName, random).level(message.body, 0, 0);
                final int length = encode(message, fields);
                final byte[] bytes = new byte[length];
                buffer.getBytes(0, bytes);

                final String expected = json(fields);
                final String decoded = json(decode(message, buffer, length));
                if (!expected.equals(decoded))
                {
                    System.err.println(message.token.name() + "/" + caseName + ": Java decode differs from encode\n  " +
                        expected + "\n  " + decoded);
                    status = 2;
                }
                out.print("{\"message\":");
                quote(out, message.token.name());
                out.print(",\"templateId\":" + message.token.id() + ",\"case\":");
                quote(out, caseName);
                out.print(",\"hex\":\"" + hex(bytes) + "\",\"fields\":");
                out.print(expected);
                out.println('}');
            }
        }
        return status;
    }

    int decodeAll(final PrintStream out) throws Exception
    {
        final BufferedReader reader = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = reader.readLine()) != null)
        {
            line = line.trim();
            if (line.isEmpty())
            {
                continue;
            }
            final int space = line.indexOf(' ');
            final String name = space < 0 ? line : line.substring(0, space);
            final byte[] bytes = unhex(space < 0 ? "" : line.substring(space + 1).trim());
            out.print("{\"message\":");
            quote(out, name);
            try
            {
                final MessageDef message = messages.stream()
                    .filter((m) -> m.token.name().equals(name))
                    .findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no message named " + name));
                final UnsafeBuffer src = new UnsafeBuffer(bytes);
                out.print(",\"fields\":" + json(decode(message, src, bytes.length)));
            }
            catch (final Throwable t)
            {
                final Throwable cause = t instanceof InvocationTargetException && t.getCause() != null ? t.getCause() : t;
                out.print(",\"error\":");
                quote(out, cause.toString());
            }
            out.println('}');
        }
        return 0;
    }

    // ------------------------------------------------------------------ IR structure

    /** Splits a body (fields, groups, var data, as the SBE Java generator does) starting at index i. */
    static int parseLevel(final List<Token> tokens, final int start, final Level level)
    {
        int i = GenerationUtil.collectFields(tokens, start, level.fields);
        final List<Token> groupTokens = new ArrayList<>();
        i = GenerationUtil.collectGroups(tokens, i, groupTokens);
        i = GenerationUtil.collectVarData(tokens, i, level.varData);

        for (int g = 0; g < groupTokens.size(); g++)
        {
            final Token groupToken = groupTokens.get(g);
            if (groupToken.signal() != Signal.BEGIN_GROUP)
            {
                throw new IllegalStateException("expected BEGIN_GROUP, got " + groupToken);
            }
            final int dimensionTokens = groupTokens.get(g + 1).componentTokenCount();
            final int end = GenerationUtil.findEndSignal(groupTokens, g, Signal.END_GROUP, groupToken.name());
            final Level body = new Level();
            parseLevel(groupTokens.subList(g + 1 + dimensionTokens, end), 0, body);
            level.groups.add(new GroupDef(groupToken, body));
            g = end;
        }
        return i;
    }

    static List<Token> members(final List<Token> tokens, final int beginIndex)
    {
        final List<Token> members = new ArrayList<>();
        final int end = beginIndex + tokens.get(beginIndex).componentTokenCount() - 1;
        for (int i = beginIndex + 1; i < end; )
        {
            members.add(tokens.get(i));
            i += tokens.get(i).componentTokenCount();
        }
        return members;
    }

    // ------------------------------------------------------------------ value generation

    static final String ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    static final String[] UTF8_PIECES = { "héllo", " ", "wörld", " ✓ ", "🚀", " 日本語", "-", "ascii" };

    static final class Generator
    {
        final String caseName;
        final Random random;
        int counter;

        Generator(final String caseName, final Random random)
        {
            this.caseName = caseName;
            this.random = random;
        }

        boolean isRandom()
        {
            return caseName.startsWith("random");
        }

        List<Node> level(final Level level, final int depth, final int variant)
        {
            final List<Node> nodes = new ArrayList<>();
            for (int i = 0; i < level.fields.size(); )
            {
                final Token fieldToken = level.fields.get(i);
                if (fieldToken.signal() == Signal.BEGIN_FIELD)
                {
                    nodes.add(typed(fieldToken.name(), fieldToken, level.fields, i + 1));
                }
                i += fieldToken.componentTokenCount();
            }
            for (int g = 0; g < level.groups.size(); g++)
            {
                final GroupDef group = level.groups.get(g);
                final int count = groupCount(g, depth, variant);
                final List<List<Node>> entries = new ArrayList<>();
                for (int e = 0; e < count; e++)
                {
                    entries.add(level(group.body, depth + 1, e));
                }
                nodes.add(new Node(group.token.name(), "group", entries));
            }
            for (int i = 0; i < level.varData.size(); )
            {
                final Token varToken = level.varData.get(i);
                nodes.add(varData(varToken, level.varData, i));
                i += varToken.componentTokenCount();
            }
            return nodes;
        }

        /** Entries in a group: typical gives 3, 1 and 0 entries at different groups, entries and depths. */
        int groupCount(final int groupIndex, final int depth, final int variant)
        {
            switch (caseName)
            {
                case "min":
                    return 0;
                case "max":
                    return depth < 2 ? 3 : 1;
                case "null":
                    return 1;
                case "typical":
                    return new int[] { 3, 1, 0 }[(groupIndex + depth + variant) % 3];
                default:
                    return depth < 2 ? random.nextInt(4) : random.nextInt(2);
            }
        }

        /** A field (fieldToken = BEGIN_FIELD) or composite member (fieldToken = the member token). */
        Node typed(final String name, final Token fieldToken, final List<Token> tokens, final int typeIndex)
        {
            final Token typeToken = tokens.get(typeIndex);
            if (fieldToken.isConstantEncoding() || typeToken.isConstantEncoding())
            {
                return constant(name, fieldToken, typeToken);
            }
            counter++;
            switch (typeToken.signal())
            {
                case ENCODING:
                    return encoding(name, fieldToken, typeToken);
                case BEGIN_ENUM:
                {
                    final List<Token> values = members(tokens, typeIndex);
                    final String chosen;
                    switch (caseName)
                    {
                        case "min":
                            chosen = values.get(0).name();
                            break;
                        case "max":
                            chosen = values.get(values.size() - 1).name();
                            break;
                        case "null":
                            chosen = "NULL_VAL";
                            break;
                        case "typical":
                            chosen = values.get(counter % values.size()).name();
                            break;
                        default:
                            chosen = values.get(random.nextInt(values.size())).name();
                    }
                    final Node node = new Node(name, "enum", chosen);
                    node.type = className(typeToken.applicableTypeName());
                    return node;
                }
                case BEGIN_SET:
                {
                    final List<String> set = new ArrayList<>();
                    final List<Token> choices = members(tokens, typeIndex);
                    for (int c = 0; c < choices.size(); c++)
                    {
                        final boolean on;
                        switch (caseName)
                        {
                            case "max":
                                on = true;
                                break;
                            case "typical":
                                on = (c + counter) % 2 == 0;
                                break;
                            case "min":
                            case "null":
                                on = false;
                                break;
                            default:
                                on = random.nextBoolean();
                        }
                        if (on)
                        {
                            set.add(choices.get(c).name());
                        }
                    }
                    final Node node = new Node(name, "set", set);
                    node.type = className(typeToken.applicableTypeName());
                    return node;
                }
                case BEGIN_COMPOSITE:
                {
                    final List<Node> nested = new ArrayList<>();
                    final int end = typeIndex + typeToken.componentTokenCount() - 1;
                    for (int i = typeIndex + 1; i < end; )
                    {
                        final Token member = tokens.get(i);
                        nested.add(typed(member.name(), member, tokens, i));
                        i += member.componentTokenCount();
                    }
                    final Node node = new Node(name, "composite", nested);
                    node.type = className(typeToken.applicableTypeName());
                    return node;
                }
                default:
                    throw new IllegalStateException("unexpected type token " + typeToken);
            }
        }

        Node constant(final String name, final Token fieldToken, final Token typeToken)
        {
            final Node node;
            if (typeToken.signal() == Signal.BEGIN_ENUM)
            {
                final String ref = fieldToken.encoding().constValue().toString();
                node = new Node(name, "constant", ref.substring(ref.indexOf('.') + 1));
                node.type = className(typeToken.applicableTypeName());
            }
            else
            {
                node = new Node(name, "constant", formatConstant(typeToken.encoding().primitiveType(),
                    typeToken.encoding().constValue()));
            }
            return node;
        }

        Node encoding(final String name, final Token fieldToken, final Token typeToken)
        {
            final Encoding encoding = typeToken.encoding();
            final PrimitiveType type = encoding.primitiveType();
            final boolean optional = fieldToken.isOptionalEncoding() || typeToken.isOptionalEncoding();
            final int length = typeToken.arrayLength();
            if (type == PrimitiveType.CHAR && length > 1)
            {
                return new Node(name, "char", charArray(length, encoding.characterEncoding(), optional));
            }
            if (length > 1)
            {
                final List<Object> values = new ArrayList<>();
                for (int i = 0; i < length; i++)
                {
                    counter++;
                    values.add(scalar(encoding, optional));
                }
                final Node node = new Node(name, "array", values);
                node.of = scalarKind(type);
                return node;
            }
            return new Node(name, scalarKind(type), scalar(encoding, optional));
        }

        Scalar scalar(final Encoding encoding, final boolean optional)
        {
            final PrimitiveType type = encoding.primitiveType();
            final PrimitiveValue min = encoding.applicableMinValue();
            final PrimitiveValue max = encoding.applicableMaxValue();
            switch (caseName)
            {
                case "min":
                    return fromValue(type, min);
                case "max":
                    return fromValue(type, max);
                case "null":
                    if (optional)
                    {
                        return fromValue(type, encoding.applicableNullValue());
                    }
                    return typical(type, min, max);
                case "typical":
                    return typical(type, min, max);
                default:
                    return randomScalar(type, min, max);
            }
        }

        Scalar typical(final PrimitiveType type, final PrimitiveValue min, final PrimitiveValue max)
        {
            switch (type)
            {
                case FLOAT:
                    return new Scalar(type, Float.floatToRawIntBits(1.5f * counter - 20.25f) & 0xFFFF_FFFFL);
                case DOUBLE:
                    return new Scalar(type, Double.doubleToRawLongBits(counter * 1234.5678 - 99.125));
                case CHAR:
                    return new Scalar(type, ALNUM.charAt(counter % ALNUM.length()));
                case INT64:
                    return new Scalar(type, (counter % 2 == 0 ? 1 : -1) * (1_000L + counter * 7_919L));
                case UINT64:
                    return new Scalar(type, 1_000L + counter * 7_919L);
                default:
                {
                    // An ordinary value spread over [min, max], away from both ends when the range allows.
                    final long lo = min.longValue();
                    final long range = max.longValue() - lo + 1;
                    final long v = lo + Math.floorMod(counter * 7_919L + range / 3, range);
                    return new Scalar(type, v);
                }
            }
        }

        Scalar randomScalar(final PrimitiveType type, final PrimitiveValue min, final PrimitiveValue max)
        {
            switch (type)
            {
                case FLOAT:
                {
                    float f;
                    do
                    {
                        f = random.nextBoolean() ? Float.intBitsToFloat(random.nextInt()) : (random.nextInt(2001) - 1000) / 8f;
                    }
                    while (!Float.isFinite(f));
                    return new Scalar(type, Float.floatToRawIntBits(f) & 0xFFFF_FFFFL);
                }
                case DOUBLE:
                {
                    double d;
                    do
                    {
                        d = random.nextBoolean() ? Double.longBitsToDouble(random.nextLong()) : random.nextDouble() * 1e6;
                    }
                    while (!Double.isFinite(d));
                    return new Scalar(type, Double.doubleToRawLongBits(d));
                }
                case CHAR:
                    return new Scalar(type, ALNUM.charAt(random.nextInt(ALNUM.length())));
                case UINT64:
                {
                    final long lo = min.longValue();
                    final long hi = max.longValue();
                    long v;
                    do
                    {
                        v = random.nextLong();
                    }
                    while (Long.compareUnsigned(v, lo) < 0 || Long.compareUnsigned(v, hi) > 0);
                    return new Scalar(type, v);
                }
                default:
                {
                    final long lo = min.longValue();
                    final long hi = max.longValue();
                    long v;
                    do
                    {
                        v = random.nextLong();
                        if (type != PrimitiveType.INT64 && hi - lo + 1 > 0)
                        {
                            v = lo + Math.floorMod(v, hi - lo + 1);
                        }
                    }
                    while (v < lo || v > hi);
                    return new Scalar(type, v);
                }
            }
        }

        String charArray(final int length, final String characterEncoding, final boolean optional)
        {
            final boolean utf8 = characterEncoding != null && characterEncoding.toUpperCase().contains("UTF");
            switch (caseName)
            {
                case "min":
                    return "";
                case "max":
                {
                    final StringBuilder sb = new StringBuilder();
                    for (int i = 0; i < length; i++)
                    {
                        sb.append(ALNUM.charAt((i + counter) % ALNUM.length()));
                    }
                    return sb.toString();
                }
                case "null":
                    if (optional)
                    {
                        return "";
                    }
                    return typicalChars(length, utf8);
                case "typical":
                    return typicalChars(length, utf8);
                default:
                {
                    final int n = random.nextInt(length + 1);
                    final StringBuilder sb = new StringBuilder();
                    for (int i = 0; i < n; i++)
                    {
                        sb.append(ALNUM.charAt(random.nextInt(ALNUM.length())));
                    }
                    return sb.toString();
                }
            }
        }

        String typicalChars(final int length, final boolean utf8)
        {
            final String text = utf8 ? "né✓" + ALNUM : "T" + counter + ALNUM;
            return fitBytes(text, Math.min(length, 3 + (counter % Math.max(1, length - 2))),
                utf8 ? StandardCharsets.UTF_8 : StandardCharsets.US_ASCII);
        }

        Node varData(final Token varToken, final List<Token> tokens, final int index)
        {
            Token lengthToken = null;
            Token dataToken = null;
            for (int i = index + 1; i < index + varToken.componentTokenCount(); i++)
            {
                final Token t = tokens.get(i);
                if (t.signal() == Signal.ENCODING && "length".equals(t.name()))
                {
                    lengthToken = t;
                }
                else if (t.signal() == Signal.ENCODING && "varData".equals(t.name()))
                {
                    dataToken = t;
                }
            }
            if (lengthToken == null || dataToken == null)
            {
                throw new IllegalStateException("var data " + varToken.name() + " lacks length/varData");
            }
            final long maxLength = Math.min(1 << 16, lengthToken.encoding().applicableMaxValue().longValue());
            final String characterEncoding = dataToken.encoding().characterEncoding();
            counter++;
            if (characterEncoding == null)
            {
                final int n;
                switch (caseName)
                {
                    case "min":
                    case "null":
                        n = 0;
                        break;
                    case "max":
                        n = (int)Math.min(333, maxLength);
                        break;
                    case "typical":
                        n = (int)Math.min(16 + counter % 7, maxLength);
                        break;
                    default:
                        n = random.nextInt((int)Math.min(100, maxLength) + 1);
                }
                final byte[] bytes = new byte[n];
                for (int i = 0; i < n; i++)
                {
                    bytes[i] = isRandom() ? (byte)random.nextInt() : (byte)(i * 7 + counter);
                }
                return new Node(varToken.name(), "varBytes", hex(bytes));
            }
            final Charset charset = Charset.forName(characterEncoding);
            final boolean utf8 = charset.equals(StandardCharsets.UTF_8);
            final StringBuilder sb = new StringBuilder();
            switch (caseName)
            {
                case "min":
                case "null":
                    break;
                case "max":
                    for (int i = 0; sb.length() < 333; i++)
                    {
                        sb.append(utf8 ? UTF8_PIECES[i % UTF8_PIECES.length] : ALNUM.charAt(i % ALNUM.length()));
                    }
                    break;
                case "typical":
                    sb.append(utf8 ? "typical " + varToken.name() + " héllo wörld ✓ 🚀 日本" :
                        "aeron:udp?endpoint=localhost:" + (40_000 + counter) + "|alias=" + varToken.name());
                    break;
                default:
                {
                    final int n = random.nextInt(80);
                    for (int i = 0; i < n; i++)
                    {
                        sb.append(utf8 && random.nextInt(4) == 0 ?
                            UTF8_PIECES[random.nextInt(UTF8_PIECES.length)] : ALNUM.charAt(random.nextInt(ALNUM.length())));
                    }
                }
            }
            return new Node(varToken.name(), "varString", fitBytes(sb.toString(), (int)maxLength, charset));
        }
    }

    /** The longest prefix of text (whole code points) whose encoding fits in maxBytes. */
    static String fitBytes(final String text, final int maxBytes, final Charset charset)
    {
        int end = text.length();
        while (text.substring(0, end).getBytes(charset).length > maxBytes)
        {
            end = text.offsetByCodePoints(end, -1);
        }
        return text.substring(0, end);
    }

    static Scalar fromValue(final PrimitiveType type, final PrimitiveValue value)
    {
        switch (type)
        {
            case FLOAT:
                return new Scalar(type, Float.floatToRawIntBits((float)value.doubleValue()) & 0xFFFF_FFFFL);
            case DOUBLE:
                return new Scalar(type, Double.doubleToRawLongBits(value.doubleValue()));
            default:
                return new Scalar(type, value.longValue());
        }
    }

    static String scalarKind(final PrimitiveType type)
    {
        switch (type)
        {
            case INT64:
                return "int64";
            case UINT64:
                return "uint64";
            case FLOAT:
                return "float";
            case DOUBLE:
                return "double";
            default:
                return "int";
        }
    }

    static String formatConstant(final PrimitiveType type, final PrimitiveValue value)
    {
        if (value.representation() == PrimitiveValue.Representation.BYTE_ARRAY)
        {
            return value.toString();
        }
        switch (type)
        {
            case FLOAT:
            case DOUBLE:
                return Double.toString(value.doubleValue());
            case UINT64:
                return Long.toUnsignedString(value.longValue());
            default:
                return Long.toString(value.longValue());
        }
    }

    // ------------------------------------------------------------------ encode by reflection

    int encode(final MessageDef message, final List<Node> fields) throws Exception
    {
        final Object header = Class.forName(pkg + "." + headerName + "Encoder").getConstructor().newInstance();
        final Object encoder = Class.forName(pkg + "." + className(message.token.name()) + "Encoder")
            .getConstructor().newInstance();
        buffer.setMemory(0, buffer.capacity(), (byte)0);
        encoder.getClass()
            .getMethod("wrapAndApplyHeader", MutableDirectBuffer.class, int.class, header.getClass())
            .invoke(encoder, buffer, 0, header);
        encodeLevel(encoder, message.body, fields);
        final int headerLength = (Integer)header.getClass().getMethod("encodedLength").invoke(header);
        return headerLength + (Integer)call(encoder, "encodedLength");
    }

    static void encodeLevel(final Object encoder, final Level level, final List<Node> nodes) throws Exception
    {
        int n = 0;
        for (int i = 0; i < level.fields.size(); )
        {
            final Token fieldToken = level.fields.get(i);
            if (fieldToken.signal() == Signal.BEGIN_FIELD)
            {
                encodeTyped(encoder, nodes.get(n++));
            }
            i += fieldToken.componentTokenCount();
        }
        for (final GroupDef group : level.groups)
        {
            final Node node = nodes.get(n++);
            @SuppressWarnings("unchecked") final List<List<Node>> entries = (List<List<Node>>)node.value;
            final Object groupEncoder = encoder.getClass()
                .getMethod(propertyName(group.token.name()) + "Count", int.class)
                .invoke(encoder, entries.size());
            for (final List<Node> entry : entries)
            {
                call(groupEncoder, "next");
                encodeLevel(groupEncoder, group.body, entry);
            }
        }
        for (int i = 0; i < level.varData.size(); )
        {
            final Token varToken = level.varData.get(i);
            final Node node = nodes.get(n++);
            final String property = propertyName(varToken.name());
            if ("varBytes".equals(node.kind))
            {
                final byte[] bytes = unhex((String)node.value);
                encoder.getClass().getMethod("put" + upperFirst(property), byte[].class, int.class, int.class)
                    .invoke(encoder, bytes, 0, bytes.length);
            }
            else
            {
                encoder.getClass().getMethod(property, String.class).invoke(encoder, (String)node.value);
            }
            i += varToken.componentTokenCount();
        }
    }

    @SuppressWarnings({ "unchecked", "rawtypes" })
    static void encodeTyped(final Object encoder, final Node node) throws Exception
    {
        final String property = propertyName(node.name);
        final Class<?> cls = encoder.getClass();
        switch (node.kind)
        {
            case "constant":
                return;
            case "char":
                cls.getMethod(property, String.class).invoke(encoder, (String)node.value);
                return;
            case "array":
            {
                final List<Object> values = (List<Object>)node.value;
                for (int i = 0; i < values.size(); i++)
                {
                    final Scalar scalar = (Scalar)values.get(i);
                    cls.getMethod(property, int.class, javaType(scalar.type)).invoke(encoder, i, box(scalar));
                }
                return;
            }
            case "enum":
            {
                for (final Method m : cls.getMethods())
                {
                    if (m.getName().equals(property) && m.getParameterCount() == 1 && m.getParameterTypes()[0].isEnum())
                    {
                        final Class<? extends Enum> enumClass = (Class<? extends Enum>)m.getParameterTypes()[0];
                        m.invoke(encoder, Enum.valueOf(enumClass, (String)node.value));
                        return;
                    }
                }
                throw new NoSuchMethodException(cls.getName() + "." + property + "(enum)");
            }
            case "set":
            {
                final Object set = call(encoder, property);
                call(set, "clear");
                for (final String choice : (List<String>)node.value)
                {
                    set.getClass().getMethod(propertyName(choice), boolean.class).invoke(set, true);
                }
                return;
            }
            case "composite":
            {
                final Object composite = call(encoder, property);
                for (final Node member : (List<Node>)node.value)
                {
                    encodeTyped(composite, member);
                }
                return;
            }
            default:
            {
                final Scalar scalar = (Scalar)node.value;
                cls.getMethod(property, javaType(scalar.type)).invoke(encoder, box(scalar));
            }
        }
    }

    // ------------------------------------------------------------------ decode by reflection

    List<Node> decode(final MessageDef message, final DirectBuffer src, final int length) throws Exception
    {
        final Object header = Class.forName(pkg + "." + headerName + "Decoder").getConstructor().newInstance();
        final Object decoder = Class.forName(pkg + "." + className(message.token.name()) + "Decoder")
            .getConstructor().newInstance();
        decoder.getClass()
            .getMethod("wrapAndApplyHeader", DirectBuffer.class, int.class, header.getClass())
            .invoke(decoder, src, 0, header);
        final List<Node> nodes = decodeLevel(decoder, message.body);
        final int headerLength = (Integer)header.getClass().getMethod("encodedLength").invoke(header);
        final int decodedLength = headerLength + (Integer)call(decoder, "encodedLength");
        if (decodedLength != length)
        {
            throw new IllegalStateException("decoded " + decodedLength + " bytes of " + length);
        }
        return nodes;
    }

    static List<Node> decodeLevel(final Object decoder, final Level level) throws Exception
    {
        final List<Node> nodes = new ArrayList<>();
        for (int i = 0; i < level.fields.size(); )
        {
            final Token fieldToken = level.fields.get(i);
            if (fieldToken.signal() == Signal.BEGIN_FIELD)
            {
                nodes.add(decodeTyped(decoder, fieldToken.name(), fieldToken, level.fields, i + 1));
            }
            i += fieldToken.componentTokenCount();
        }
        for (final GroupDef group : level.groups)
        {
            final Object groupDecoder = call(decoder, propertyName(group.token.name()));
            final int count = (Integer)call(groupDecoder, "count");
            final List<List<Node>> entries = new ArrayList<>();
            for (int e = 0; e < count; e++)
            {
                call(groupDecoder, "next");
                entries.add(decodeLevel(groupDecoder, group.body));
            }
            nodes.add(new Node(group.token.name(), "group", entries));
        }
        for (int i = 0; i < level.varData.size(); )
        {
            final Token varToken = level.varData.get(i);
            final String property = propertyName(varToken.name());
            boolean binary = true;
            for (int t = i + 1; t < i + varToken.componentTokenCount(); t++)
            {
                final Token token = level.varData.get(t);
                if ("varData".equals(token.name()) && token.encoding().characterEncoding() != null)
                {
                    binary = false;
                }
            }
            if (binary)
            {
                final int length = (Integer)call(decoder, property + "Length");
                final byte[] bytes = new byte[length];
                decoder.getClass().getMethod("get" + upperFirst(property), byte[].class, int.class, int.class)
                    .invoke(decoder, bytes, 0, length);
                nodes.add(new Node(varToken.name(), "varBytes", hex(bytes)));
            }
            else
            {
                nodes.add(new Node(varToken.name(), "varString", call(decoder, property)));
            }
            i += varToken.componentTokenCount();
        }
        return nodes;
    }

    static Node decodeTyped(
        final Object decoder, final String name, final Token fieldToken, final List<Token> tokens, final int typeIndex)
        throws Exception
    {
        final Token typeToken = tokens.get(typeIndex);
        final String property = propertyName(name);
        final Class<?> cls = decoder.getClass();
        if (fieldToken.isConstantEncoding() || typeToken.isConstantEncoding())
        {
            final Object value = call(decoder, property);
            final Node node;
            if (value instanceof Enum)
            {
                node = new Node(name, "constant", ((Enum<?>)value).name());
                node.type = className(typeToken.applicableTypeName());
            }
            else if (value instanceof Byte && typeToken.encoding().primitiveType() == PrimitiveType.CHAR)
            {
                node = new Node(name, "constant", String.valueOf((char)(byte)(Byte)value));
            }
            else if (value instanceof Long && typeToken.encoding().primitiveType() == PrimitiveType.UINT64)
            {
                node = new Node(name, "constant", Long.toUnsignedString((Long)value));
            }
            else if (value instanceof Float || value instanceof Double)
            {
                node = new Node(name, "constant", Double.toString(((Number)value).doubleValue()));
            }
            else
            {
                node = new Node(name, "constant", String.valueOf(value));
            }
            return node;
        }
        switch (typeToken.signal())
        {
            case ENCODING:
            {
                final PrimitiveType type = typeToken.encoding().primitiveType();
                final int length = typeToken.arrayLength();
                if (type == PrimitiveType.CHAR && length > 1)
                {
                    return new Node(name, "char", call(decoder, property));
                }
                if (length > 1)
                {
                    final Method getter = cls.getMethod(property, int.class);
                    final List<Object> values = new ArrayList<>();
                    for (int i = 0; i < length; i++)
                    {
                        values.add(unbox(type, getter.invoke(decoder, i)));
                    }
                    final Node node = new Node(name, "array", values);
                    node.of = scalarKind(type);
                    return node;
                }
                return new Node(name, scalarKind(type), unbox(type, call(decoder, property)));
            }
            case BEGIN_ENUM:
            {
                final Node node = new Node(name, "enum", ((Enum<?>)call(decoder, property)).name());
                node.type = className(typeToken.applicableTypeName());
                return node;
            }
            case BEGIN_SET:
            {
                final Object set = call(decoder, property);
                final List<String> on = new ArrayList<>();
                for (final Token choice : members(tokens, typeIndex))
                {
                    if ((Boolean)call(set, propertyName(choice.name())))
                    {
                        on.add(choice.name());
                    }
                }
                final Node node = new Node(name, "set", on);
                node.type = className(typeToken.applicableTypeName());
                return node;
            }
            case BEGIN_COMPOSITE:
            {
                final Object composite = call(decoder, property);
                final List<Node> nested = new ArrayList<>();
                final int end = typeIndex + typeToken.componentTokenCount() - 1;
                for (int i = typeIndex + 1; i < end; )
                {
                    final Token member = tokens.get(i);
                    nested.add(decodeTyped(composite, member.name(), member, tokens, i));
                    i += member.componentTokenCount();
                }
                final Node node = new Node(name, "composite", nested);
                node.type = className(typeToken.applicableTypeName());
                return node;
            }
            default:
                throw new IllegalStateException("unexpected type token " + typeToken);
        }
    }

    // ------------------------------------------------------------------ reflection helpers

    static Object call(final Object target, final String method) throws Exception
    {
        return target.getClass().getMethod(method).invoke(target);
    }

    static Class<?> javaType(final PrimitiveType type)
    {
        switch (type)
        {
            case CHAR:
            case INT8:
                return byte.class;
            case UINT8:
            case INT16:
                return short.class;
            case UINT16:
            case INT32:
                return int.class;
            case FLOAT:
                return float.class;
            case DOUBLE:
                return double.class;
            default:
                return long.class;
        }
    }

    static Object box(final Scalar s)
    {
        switch (s.type)
        {
            case CHAR:
            case INT8:
                return (byte)s.bits;
            case UINT8:
            case INT16:
                return (short)s.bits;
            case UINT16:
            case INT32:
                return (int)s.bits;
            case FLOAT:
                return Float.intBitsToFloat((int)s.bits);
            case DOUBLE:
                return Double.longBitsToDouble(s.bits);
            default:
                return s.bits;
        }
    }

    static Scalar unbox(final PrimitiveType type, final Object value)
    {
        if (value instanceof Float)
        {
            return new Scalar(type, Float.floatToRawIntBits((Float)value) & 0xFFFF_FFFFL);
        }
        if (value instanceof Double)
        {
            return new Scalar(type, Double.doubleToRawLongBits((Double)value));
        }
        return new Scalar(type, ((Number)value).longValue());
    }

    /** As the SBE Java generator names accessors: lower-case first letter. */
    static String propertyName(final String name)
    {
        return name.isEmpty() ? name : Character.toLowerCase(name.charAt(0)) + name.substring(1);
    }

    static String className(final String name)
    {
        return upperFirst(name);
    }

    static String upperFirst(final String name)
    {
        return name.isEmpty() ? name : Character.toUpperCase(name.charAt(0)) + name.substring(1);
    }

    // ------------------------------------------------------------------ JSON and hex

    static String json(final List<Node> nodes)
    {
        final StringBuilder sb = new StringBuilder();
        appendNodes(sb, nodes);
        return sb.toString();
    }

    @SuppressWarnings("unchecked")
    static void appendNodes(final StringBuilder sb, final List<Node> nodes)
    {
        sb.append('[');
        for (int i = 0; i < nodes.size(); i++)
        {
            final Node node = nodes.get(i);
            if (i > 0)
            {
                sb.append(',');
            }
            sb.append("{\"name\":");
            appendString(sb, node.name);
            sb.append(",\"kind\":");
            appendString(sb, node.kind);
            if (node.type != null)
            {
                sb.append(",\"type\":");
                appendString(sb, node.type);
            }
            if (node.of != null)
            {
                sb.append(",\"of\":");
                appendString(sb, node.of);
            }
            sb.append(",\"value\":");
            switch (node.kind)
            {
                case "composite":
                    appendNodes(sb, (List<Node>)node.value);
                    break;
                case "group":
                {
                    sb.append('[');
                    final List<List<Node>> entries = (List<List<Node>>)node.value;
                    for (int e = 0; e < entries.size(); e++)
                    {
                        if (e > 0)
                        {
                            sb.append(',');
                        }
                        appendNodes(sb, entries.get(e));
                    }
                    sb.append(']');
                    break;
                }
                case "set":
                {
                    sb.append('[');
                    final List<String> names = (List<String>)node.value;
                    for (int s = 0; s < names.size(); s++)
                    {
                        if (s > 0)
                        {
                            sb.append(',');
                        }
                        appendString(sb, names.get(s));
                    }
                    sb.append(']');
                    break;
                }
                case "array":
                {
                    sb.append('[');
                    final List<Object> values = (List<Object>)node.value;
                    for (int v = 0; v < values.size(); v++)
                    {
                        if (v > 0)
                        {
                            sb.append(',');
                        }
                        appendScalar(sb, (Scalar)values.get(v));
                    }
                    sb.append(']');
                    break;
                }
                default:
                    if (node.value instanceof Scalar)
                    {
                        appendScalar(sb, (Scalar)node.value);
                    }
                    else
                    {
                        appendString(sb, (String)node.value);
                    }
            }
            sb.append('}');
        }
        sb.append(']');
    }

    static void appendScalar(final StringBuilder sb, final Scalar s)
    {
        switch (s.type)
        {
            case INT64:
                sb.append('"').append(s.bits).append('"');
                break;
            case UINT64:
                sb.append('"').append(Long.toUnsignedString(s.bits)).append('"');
                break;
            case FLOAT:
                sb.append('"').append(String.format("%08x", s.bits & 0xFFFF_FFFFL)).append('"');
                break;
            case DOUBLE:
                sb.append('"').append(String.format("%016x", s.bits)).append('"');
                break;
            default:
                sb.append(s.bits);
        }
    }

    /** JSON string, ASCII only: everything outside printable ASCII as a UTF-16 escape. */
    static void appendString(final StringBuilder sb, final String s)
    {
        sb.append('"');
        for (int i = 0; i < s.length(); i++)
        {
            final char c = s.charAt(i);
            if (c == '"' || c == '\\')
            {
                sb.append('\\').append(c);
            }
            else if (c < 0x20 || c > 0x7e)
            {
                sb.append(String.format("\\u%04x", (int)c));
            }
            else
            {
                sb.append(c);
            }
        }
        sb.append('"');
    }

    static void quote(final PrintStream out, final String s)
    {
        final StringBuilder sb = new StringBuilder();
        appendString(sb, s);
        out.print(sb);
    }

    static String hex(final byte[] bytes)
    {
        final StringBuilder sb = new StringBuilder(bytes.length * 2);
        for (final byte b : bytes)
        {
            sb.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
        }
        return sb.toString();
    }

    static byte[] unhex(final String hex)
    {
        if (hex.length() % 2 != 0)
        {
            throw new IllegalArgumentException("odd hex length");
        }
        final byte[] bytes = new byte[hex.length() / 2];
        for (int i = 0; i < bytes.length; i++)
        {
            bytes[i] = (byte)Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
        }
        return bytes;
    }
}
