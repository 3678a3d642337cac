"""BPMN documents the tests read: the claims process (nested lanes, a boundary event, a data
object, a text annotation, message flows), and the head that starts a hand-written document."""

from __future__ import annotations

HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
    'xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="d" targetNamespace="t">\n'
)

CLAIMS = (
    HEAD
    + """
  <bpmn:collaboration id="collab">
    <bpmn:participant id="insurer" name="Insurer" processRef="claims"/>
    <bpmn:participant id="customer" name="Customer"/>
    <bpmn:messageFlow id="m1" sourceRef="customer" targetRef="start"/>
    <bpmn:messageFlow id="m2" sourceRef="notify" targetRef="customer"/>
  </bpmn:collaboration>
  <bpmn:process id="claims" name="Claims">
    <bpmn:documentation>Motor claims, 2025.</bpmn:documentation>
    <bpmn:laneSet id="ls">
      <bpmn:lane id="office" name="Office">
        <bpmn:childLaneSet id="cls">
          <bpmn:lane id="intake" name="Intake">
            <bpmn:flowNodeRef>start</bpmn:flowNodeRef>
            <bpmn:flowNodeRef>register</bpmn:flowNodeRef>
            <bpmn:flowNodeRef>score</bpmn:flowNodeRef>
            <bpmn:flowNodeRef>ok</bpmn:flowNodeRef>
          </bpmn:lane>
          <bpmn:lane id="adjuster" name="Adjuster">
            <bpmn:flowNodeRef>assess</bpmn:flowNodeRef>
            <bpmn:flowNodeRef>fraud</bpmn:flowNodeRef>
            <bpmn:flowNodeRef>notify</bpmn:flowNodeRef>
            <bpmn:flowNodeRef>done</bpmn:flowNodeRef>
          </bpmn:lane>
        </bpmn:childLaneSet>
      </bpmn:lane>
    </bpmn:laneSet>
    <bpmn:startEvent id="start" name="Claim in"><bpmn:messageEventDefinition/></bpmn:startEvent>
    <bpmn:userTask id="register" name="Register claim" camunda:assignee="clerk"/>
    <bpmn:businessRuleTask id="score" name="Score risk"/>
    <bpmn:exclusiveGateway id="ok" name="Risky?" default="f_low"/>
    <bpmn:userTask id="assess" name="Assess damage">
      <bpmn:documentation>Photos first.</bpmn:documentation>
    </bpmn:userTask>
    <bpmn:boundaryEvent id="late" name="No photos in 5 days" attachedToRef="assess">
      <bpmn:timerEventDefinition/>
    </bpmn:boundaryEvent>
    <bpmn:userTask id="fraud" name="Fraud check"/>
    <bpmn:sendTask id="notify" name="Notify customer"/>
    <bpmn:endEvent id="done"/>
    <bpmn:dataObject id="file"/>
    <bpmn:textAnnotation id="note"><bpmn:text>Slowest step</bpmn:text></bpmn:textAnnotation>
    <bpmn:association id="a1" sourceRef="assess" targetRef="note"/>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="register"/>
    <bpmn:sequenceFlow id="f2" sourceRef="register" targetRef="score"/>
    <bpmn:sequenceFlow id="f3" sourceRef="score" targetRef="ok"/>
    <bpmn:sequenceFlow id="f_low" name="no" sourceRef="ok" targetRef="notify"/>
    <bpmn:sequenceFlow id="f_high" sourceRef="ok" targetRef="assess">
      <bpmn:conditionExpression>${risk &gt; 0.8}</bpmn:conditionExpression>
    </bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="f5" sourceRef="assess" targetRef="notify"/>
    <bpmn:sequenceFlow id="f6" sourceRef="late" targetRef="fraud"/>
    <bpmn:sequenceFlow id="f7" sourceRef="fraud" targetRef="done"/>
    <bpmn:sequenceFlow id="f8" sourceRef="notify" targetRef="done"/>
  </bpmn:process>
</bpmn:definitions>
"""
)
