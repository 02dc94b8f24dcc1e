package dev.cohort.learn.onnx;

import ai.onnx.proto.OnnxMl;
import java.util.Map;
import java.util.Set;
import org.tribuo.util.onnx.ONNXAttribute;
import org.tribuo.util.onnx.ONNXOperator;
import org.tribuo.util.onnx.ONNXOperators;

/** ONNX operators (opset 13, default domain) that Tribuo's {@link ONNXOperators} lacks. */
public enum Ops implements ONNXOperator {
    /** Rectified linear unit, element-wise. */
    RELU("Relu", 1, Map.of()),
    /** Hyperbolic tangent, element-wise. */
    TANH("Tanh", 1, Map.of()),
    /** Splits the input into three equal parts along {@code axis} (opset 13: no {@code split} input). */
    SPLIT3("Split", 3, Map.of("axis", new ONNXAttribute("axis", OnnxMl.AttributeProto.AttributeType.INT, true)));

    private final String opName;
    private final int outputs;
    private final Map<String, ONNXAttribute> attributes;

    Ops(String opName, int outputs, Map<String, ONNXAttribute> attributes) {
        this.opName = opName;
        this.outputs = outputs;
        this.attributes = attributes;
    }

    @Override
    public String getOpName() {
        return opName;
    }

    @Override
    public int getNumInputs() {
        return 1;
    }

    @Override
    public int getNumOptionalInputs() {
        return 0;
    }

    @Override
    public int getNumOutputs() {
        return outputs;
    }

    @Override
    public Map<String, ONNXAttribute> getAttributes() {
        return attributes;
    }

    @Override
    public Set<String> getMandatoryAttributeNames() {
        return attributes.keySet();
    }

    @Override
    public int getOpVersion() {
        return ONNXOperators.getOpsetVersion();
    }

    @Override
    public String getOpDomain() {
        return null;
    }
}
