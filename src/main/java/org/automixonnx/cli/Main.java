package org.automixonnx.cli;
public class Main { public static void main(String[] a) { System.out.println(org.automixonnx.onnx.proto.OnnxProto.ModelProto.getDefaultInstance()); } }
